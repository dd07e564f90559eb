// Appends JSON text to a std::string: escaped strings, numbers, and a small object/array writer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb::core {

//! Appends `text` as a quoted JSON string. Control characters are escaped; bytes that are not valid
//! UTF-8 become U+FFFD, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

//! Appends a JSON number for a double (shortest form that round-trips; non-finite values become null).
void append_json_double(std::string& out, double value);

void append_json_int(std::string& out, int64_t value);

//! Writes one JSON object or array into `out`, managing commas. Nesting is done with begin_*/end_*.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  //! Writes `"name":`; the next value call supplies the value.
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(int64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  //! Writes already-serialised JSON text as the next value.
  JsonWriter& raw(std::string_view json);

 private:
  void before_value();

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace sb::core
