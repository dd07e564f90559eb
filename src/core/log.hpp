// Structured logging: JSON lines on stderr (or text for humans), with named fields; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sb::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kJson, kText };

//! One named field of a log line. Values are strings or integers; secrets never go here.
struct LogField {
  std::string_view name;
  std::variant<std::string_view, long long, double> value;

  LogField(std::string_view n, std::string_view v) : name(n), value(v) {}
  LogField(std::string_view n, const std::string& v) : name(n), value(std::string_view(v)) {}
  LogField(std::string_view n, const char* v) : name(n), value(std::string_view(v)) {}
  template <typename Int>
  requires std::is_integral_v<Int> LogField(std::string_view n, Int v) : name(n), value(static_cast<long long>(v)) {}
  LogField(std::string_view n, double v) : name(n), value(v) {}
};

void set_log_level(LogLevel level);
void set_log_format(LogFormat format);
LogLevel log_level();

//! Parses "debug" | "info" | "warn" | "error"; false when the name is unknown.
bool parse_log_level(std::string_view name, LogLevel& level);

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void log_debug(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kDebug, m, f);
}
inline void log_info(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kInfo, m, f);
}
inline void log_warn(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kWarn, m, f);
}
inline void log_error(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kError, m, f);
}

}  // namespace sb::core
