// UTC ISO-8601 formatting with fmt (thread-safe, no locale).
#include "core/clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace sb::core {

std::string format_iso8601_utc(SystemTime time) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto sub_second = ((millis % 1000) + 1000) % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", seconds, sub_second);
}

}  // namespace sb::core
