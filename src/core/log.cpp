// The logger behind core/log.hpp: one line per call, written with a single write under a mutex.
#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <mutex>

#include "core/clock.hpp"
#include "core/json_writer.hpp"

namespace sb::core {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::atomic<LogFormat> g_format{LogFormat::kJson};
std::mutex g_write_mutex;

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void append_field_value_json(std::string& out, const LogField& field) {
  if (const auto* text = std::get_if<std::string_view>(&field.value)) {
    append_json_string(out, *text);
  } else if (const auto* integer = std::get_if<long long>(&field.value)) {
    append_json_int(out, *integer);
  } else {
    append_json_double(out, std::get<double>(field.value));
  }
}

std::string json_line(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  std::string line;
  JsonWriter w(line);
  w.begin_object().key("time").value(now_iso8601_utc()).key("level").value(level_name(level));
  w.key("message").value(message);
  for (const auto& field : fields) {
    w.key(field.name);
    std::string value;
    append_field_value_json(value, field);
    w.raw(value);
  }
  w.end_object();
  line.push_back('\n');
  return line;
}

std::string text_line(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  std::string line = now_iso8601_utc();
  line += ' ';
  line += level_name(level);
  line += ' ';
  line += message;
  for (const auto& field : fields) {
    line += ' ';
    line += field.name;
    line += '=';
    if (const auto* text = std::get_if<std::string_view>(&field.value)) {
      // Quote values with spaces so the line stays splittable.
      if (text->find(' ') != std::string_view::npos) {
        append_json_string(line, *text);
      } else {
        line += *text;
      }
    } else {
      append_field_value_json(line, field);
    }
  }
  line.push_back('\n');
  return line;
}

}  // namespace

void set_log_level(LogLevel level) {
  g_level = level;
}
void set_log_format(LogFormat format) {
  g_format = format;
}
LogLevel log_level() {
  return g_level;
}

bool parse_log_level(std::string_view name, LogLevel& level) {
  for (auto candidate : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (level_name(candidate) == name) {
      level = candidate;
      return true;
    }
  }
  return false;
}

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (level < g_level.load()) return;
  const std::string line =
      g_format.load() == LogFormat::kJson ? json_line(level, message, fields) : text_line(level, message, fields);
  const std::lock_guard lock(g_write_mutex);
  size_t written = 0;
  while (written < line.size()) {
    const auto n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

}  // namespace sb::core
