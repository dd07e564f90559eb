// The commit frontier: a partition's position advances only over an unbroken run of done messages.
#include <gtest/gtest.h>

#include "kafka/partition_offsets.hpp"

namespace sb::kafka {
namespace {

TEST(PartitionOffsets, ThePositionAdvancesOnlyOverMessagesThatAreAllDone) {
  PartitionOffsets offsets;
  for (int64_t o = 10; o < 15; ++o) offsets.begin(0, o);
  EXPECT_EQ(offsets.done(0, 12), std::nullopt);  // 10 and 11 are still in flight
  EXPECT_EQ(offsets.done(0, 11), std::nullopt);
  EXPECT_EQ(offsets.done(0, 10), 13);  // 10, 11, 12 done: the next to read is 13
  EXPECT_EQ(offsets.in_flight(0), 2u);
  EXPECT_EQ(offsets.done(0, 14), std::nullopt);
  EXPECT_EQ(offsets.done(0, 13), 15);
  EXPECT_EQ(offsets.in_flight(), 0u);
}

TEST(PartitionOffsets, PartitionsAreIndependent) {
  PartitionOffsets offsets;
  offsets.begin(0, 0);
  offsets.begin(1, 0);
  offsets.begin(1, 1);
  EXPECT_EQ(offsets.done(1, 1), std::nullopt);
  EXPECT_EQ(offsets.done(0, 0), 1);
  EXPECT_EQ(offsets.done(1, 0), 2);
}

TEST(PartitionOffsets, ADroppedPartitionsLateAnswersStoreNothing) {
  PartitionOffsets offsets;
  offsets.begin(3, 100);
  offsets.begin(3, 101);
  offsets.drop(3);
  EXPECT_EQ(offsets.in_flight(3), 0u);
  EXPECT_EQ(offsets.done(3, 100), std::nullopt);
  EXPECT_EQ(offsets.done(3, 999), std::nullopt);  // never handed out
  offsets.begin(3, 50);                           // assigned again, from the committed offset
  EXPECT_EQ(offsets.done(3, 50), 51);
}

}  // namespace
}  // namespace sb::kafka
