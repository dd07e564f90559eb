// GzipCompressor output is a gzip member that zlib inflates back to the input, for text, empty and random data.
#include <gtest/gtest.h>

#include <string>

#include "core/gzip.hpp"
#include "core/prng.hpp"
#include "support/gunzip.hpp"

namespace sb::core {
namespace {

TEST(Gzip, JsonRoundTripsAndShrinks) {
  std::string json = "[";
  for (int i = 0; i < 2000; ++i) json += R"({"task_id":"42","index":)" + std::to_string(i) + R"(,"tags":["a","b"]},)";
  json.back() = ']';
  GzipCompressor compressor(1);
  const auto wire = compressor.compress(json);
  EXPECT_LT(wire.size(), json.size() / 5);
  EXPECT_EQ(test::gunzip(wire), json);
}

TEST(Gzip, EmptyInputIsAValidMember) {
  GzipCompressor compressor(1);
  EXPECT_EQ(test::gunzip(compressor.compress("")), "");
}

TEST(Gzip, IncompressibleDataGrowsOnlySlightlyAndTheBufferIsReused) {
  Prng prng(7);
  std::string random(1 << 20, '\0');
  for (auto& c : random) c = static_cast<char>(prng.next_u64() & 0xff);
  GzipCompressor compressor(1);
  const auto wire = compressor.compress(random);
  EXPECT_LE(wire.size(), random.size() + random.size() / 1000 + 64);
  EXPECT_EQ(test::gunzip(wire), random);
  // The buffer is reused: a smaller input after a large one comes out exactly, without the old tail.
  EXPECT_EQ(test::gunzip(compressor.compress("again")), "again");
}

}  // namespace
}  // namespace sb::core
