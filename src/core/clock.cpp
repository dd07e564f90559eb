// UTC ISO-8601 formatting from gmtime_r (fmt 9 formats a time_point in *local* time, so it is not used).
#include "core/clock.hpp"

#include <ctime>

#include <fmt/format.h>

namespace sb::core {

std::string format_iso8601_utc(SystemTime time) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const auto seconds = static_cast<std::time_t>(millis >= 0 ? millis / 1000 : (millis - 999) / 1000);
  const auto sub_second = static_cast<int>(millis - static_cast<int64_t>(seconds) * 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, sub_second);
}

}  // namespace sb::core
