// Full-jitter bounds and Retry-After parsing (seconds, the three HTTP date forms, garbage).
#include <gtest/gtest.h>

#include <chrono>

#include "core/backoff.hpp"

namespace sb::core {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

//! 1994-11-06T08:49:37Z, the date in RFC 9110's examples.
const std::chrono::system_clock::time_point kRfcDate =
    std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 37s;

TEST(Backoff, FullJitterGrowsExponentiallyUpToTheCap) {
  constexpr double kAlmostOne = 0.999999999;
  EXPECT_EQ(full_jitter_delay(0, 100ms, 10s, kAlmostOne), 100ms);
  EXPECT_EQ(full_jitter_delay(1, 100ms, 10s, kAlmostOne), 200ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, kAlmostOne), 800ms);
  EXPECT_EQ(full_jitter_delay(10, 100ms, 10s, kAlmostOne), 10s);
  EXPECT_EQ(full_jitter_delay(0, 100ms, 10s, 0.0), 0ms);
  EXPECT_EQ(full_jitter_delay(2, 100ms, 10s, 0.5), 200ms);
}

TEST(Backoff, FullJitterSurvivesHugeAttemptsAndBadDraws) {
  EXPECT_EQ(full_jitter_delay(1000, 500ms, 30s, 0.999), milliseconds(29'970));
  EXPECT_LE(full_jitter_delay(63, milliseconds(std::chrono::hours(1'000'000)), 30s, 0.999), 30s);
  EXPECT_EQ(full_jitter_delay(-5, 100ms, 10s, 0.999), 100ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, -1.0), 0ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, 7.0), 800ms);
  EXPECT_EQ(full_jitter_delay(3, 0ms, 10s, 0.5), 0ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 0ms, 0.5), 0ms);
}

TEST(Backoff, FullJitterCoversTheWholeRange) {
  milliseconds lowest = milliseconds::max();
  milliseconds highest = milliseconds::min();
  constexpr int kDraws = 1000;
  for (int i = 0; i < kDraws; ++i) {
    const auto delay = full_jitter_delay(2, 10ms, 1s, static_cast<double>(i) / kDraws);
    lowest = std::min(lowest, delay);
    highest = std::max(highest, delay);
  }
  EXPECT_EQ(lowest, 0ms);
  EXPECT_EQ(highest, 40ms);
}

TEST(Backoff, RetryAfterDeltaSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120'000));
  EXPECT_EQ(parse_retry_after("0", now), 0ms);
  EXPECT_EQ(parse_retry_after(" 5 ", now), 5s);
}

TEST(Backoff, RetryAfterAbsurdSecondsAreCappedNotOverflowed) {
  const auto now = std::chrono::system_clock::now();
  const auto huge = parse_retry_after("99999999999999999999999999999999", now);
  ASSERT_TRUE(huge.has_value());
  EXPECT_GT(*huge, std::chrono::hours(1));
  EXPECT_LE(*huge, std::chrono::hours(24 * 366));
  EXPECT_EQ(parse_retry_after("99999999999999999999999999999999", now), parse_retry_after("86400", now));
}

TEST(Backoff, RetryAfterImfFixdate) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcDate - 90s), milliseconds(90'000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcDate - 1500ms), milliseconds(1500));
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 2099 00:00:00 GMT", kRfcDate).has_value(), true);
}

TEST(Backoff, RetryAfterDateInThePastMeansNoWait) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcDate + 1h), 0ms);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcDate), 0ms);
}

TEST(Backoff, RetryAfterObsoleteDateForms) {
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", kRfcDate - 10s), 10s);
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", kRfcDate - 10s), 10s);
}

TEST(Backoff, RetryAfterGarbageIsNullopt) {
  const auto now = std::chrono::system_clock::now();
  for (const char* value :
       {"", " ", "-1", "1.5", "+3", "12s", "soon", "0x10", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT"}) {
    EXPECT_FALSE(parse_retry_after(value, now).has_value()) << '"' << value << '"';
  }
}

}  // namespace
}  // namespace sb::core
