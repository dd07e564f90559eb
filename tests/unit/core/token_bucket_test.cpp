// TokenBucket with explicit time points: bursts, refill, queued reservations, unlimited rate, stop while waiting.
#include <gtest/gtest.h>

#include <chrono>

#include <stop_token>
#include "core/token_bucket.hpp"

namespace sb::core {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

const Clock::time_point kStart = Clock::time_point{} + 1000s;

//! Waits are computed in floating point; whole milliseconds are what the tests mean.
std::chrono::milliseconds wait_ms(Clock::duration wait) {
  return std::chrono::round<std::chrono::milliseconds>(wait);
}

TEST(TokenBucket, BurstIsFreeThenRequestsQueueAtTheRate) {
  TokenBucket bucket(2.0, 3.0);  // 2 per second, bursts of 3
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(wait_ms(bucket.reserve(kStart)), 500ms);
  // The reservation above is held, so the next caller queues behind it.
  EXPECT_EQ(wait_ms(bucket.reserve(kStart)), 1000ms);
}

TEST(TokenBucket, RefillsWithTimeButNotBeyondTheBurst) {
  TokenBucket bucket(1.0, 2.0);
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(bucket.reserve(kStart + 1s), Clock::duration::zero());
  EXPECT_EQ(wait_ms(bucket.reserve(kStart + 1s)), 1s);
  // A long idle time refills only up to the burst.
  const auto later = kStart + 1h;
  EXPECT_EQ(bucket.reserve(later), Clock::duration::zero());
  EXPECT_EQ(bucket.reserve(later), Clock::duration::zero());
  EXPECT_EQ(wait_ms(bucket.reserve(later)), 1s);
}

TEST(TokenBucket, PartialRefillShortensTheWait) {
  TokenBucket bucket(4.0, 1.0);
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(wait_ms(bucket.reserve(kStart + 100ms)), 150ms);
}

TEST(TokenBucket, TimeGoingBackwardsDoesNotAddTokens) {
  TokenBucket bucket(1.0, 1.0);
  EXPECT_EQ(bucket.reserve(kStart + 10s), Clock::duration::zero());
  EXPECT_EQ(wait_ms(bucket.reserve(kStart)), 1s);
}

TEST(TokenBucket, BurstBelowOneStillLetsOneRequestThrough) {
  TokenBucket bucket(1.0, 0.0);
  EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
  EXPECT_EQ(wait_ms(bucket.reserve(kStart)), 1s);
}

TEST(TokenBucket, ACostTakesThatManyTokensSoBytesCanBeBudgeted) {
  TokenBucket bytes(1000.0, 1500.0);  // 1,000 bytes per second, bursts of 1,500
  EXPECT_EQ(bytes.reserve(kStart, 1000), Clock::duration::zero());
  EXPECT_EQ(bytes.reserve(kStart, 500), Clock::duration::zero());
  // Empty now: 250 bytes more are a quarter of a second away, and the next 1,000 a further second.
  EXPECT_EQ(wait_ms(bytes.reserve(kStart, 250)), 250ms);
  EXPECT_EQ(wait_ms(bytes.reserve(kStart, 1000)), 1250ms);
}

TEST(TokenBucket, ZeroOrNegativeRateIsUnlimited) {
  for (const double rate : {0.0, -3.0}) {
    TokenBucket bucket(rate, 1.0);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(bucket.reserve(kStart), Clock::duration::zero());
    EXPECT_TRUE(bucket.acquire({}));
  }
}

TEST(TokenBucket, AcquireWithATokenAvailableDoesNotWait) {
  TokenBucket bucket(1.0, 2.0);
  EXPECT_TRUE(bucket.acquire({}));
  EXPECT_TRUE(bucket.acquire({}));
}

TEST(TokenBucket, AcquireReturnsFalseWhenStopped) {
  // One token per hour: the second acquire would wait an hour unless the stop ends it at once.
  TokenBucket bucket(1.0 / 3600, 1.0);
  EXPECT_TRUE(bucket.acquire({}));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(bucket.acquire(stop.get_token()));
}

}  // namespace
}  // namespace sb::core
