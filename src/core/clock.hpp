// Wall-clock helpers: UTC ISO-8601 timestamps for rows, logs and error sidecars.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sb::core {

using SystemTime = std::chrono::system_clock::time_point;

//! "2026-11-23T12:13:00.123Z": UTC, millisecond precision, the form Log Analytics parses for datetime columns.
std::string format_iso8601_utc(SystemTime time);

//! Whole seconds since 1970-01-01 UTC (expiry times in the lookup history).
inline int64_t unix_seconds(SystemTime time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

inline std::string now_iso8601_utc() {
  return format_iso8601_utc(std::chrono::system_clock::now());
}

}  // namespace sb::core
