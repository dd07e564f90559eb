// BoundedQueue: bounded in items and in bytes, an item over the byte budget still passes alone, close() wakes all.
#include "core/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace sb::core {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, APushWaitsWhileTheBytesAreSpent) {
  BoundedQueue<int> queue(10, 100);
  ASSERT_TRUE(queue.push(1, 60));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    queue.push(2, 60);
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed.load()) << "120 bytes were let into a queue of 100";
  EXPECT_EQ(queue.pop_for(1s), 1);
  producer.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_EQ(queue.pop_for(1s), 2);
}

TEST(BoundedQueue, AnItemHeavierThanTheBudgetPassesWhenTheQueueIsEmpty) {
  BoundedQueue<int> queue(10, 100);
  ASSERT_TRUE(queue.push(1, 1000));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.pop_for(1s), 1);
}

TEST(BoundedQueue, APushWaitsWhileTheItemsAreSpentAndCloseEndsTheWait) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.push(1));
  std::atomic<bool> refused{false};
  std::thread producer([&] { refused = !queue.push(2); });
  std::this_thread::sleep_for(50ms);
  queue.close();
  producer.join();
  EXPECT_TRUE(refused.load());
  EXPECT_EQ(queue.pop_for(10ms), 1) << "what was queued before the close is still drained";
  EXPECT_FALSE(queue.pop_for(10ms).has_value());
  EXPECT_TRUE(queue.closed_and_empty());
}

}  // namespace
}  // namespace sb::core
