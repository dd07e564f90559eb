// Timestamps are UTC whatever the host's time zone (regression: fmt 9 formatted local time with a Z).
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "core/clock.hpp"

namespace sb::core {
namespace {

TEST(Clock, FormatsUtcEvenWhenTheTimeZoneIsNot) {
  const char* previous = std::getenv("TZ");
  const std::string saved = previous != nullptr ? previous : "";
  ::setenv("TZ", "America/New_York", 1);
  ::tzset();
  const SystemTime time{std::chrono::milliseconds(1712234413123)};  // 2024-04-04T12:40:13.123Z
  EXPECT_EQ(format_iso8601_utc(time), "2024-04-04T12:40:13.123Z");
  if (previous != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

TEST(Clock, EpochAndBeforeIt) {
  EXPECT_EQ(format_iso8601_utc(SystemTime{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_utc(SystemTime{std::chrono::milliseconds(-1)}), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace sb::core
