// Readers for optional fields of JSON objects (absent, null or mistyped read as empty).
#pragma once

#include <simdjson.h>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace sb::core {

inline std::string string_field(simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (object[key].get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

inline std::optional<double> number_field(simdjson::dom::object object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  double number = 0;
  if (value.get_double().get(number) == simdjson::SUCCESS) return number;
  int64_t integer = 0;
  if (value.get_int64().get(integer) == simdjson::SUCCESS) return static_cast<double>(integer);
  return std::nullopt;
}

inline std::optional<int> int_field(simdjson::dom::object object, std::string_view key) {
  const auto number = number_field(object, key);
  if (!number || !std::isfinite(*number) || std::abs(*number) > 1e9) return std::nullopt;
  return static_cast<int>(*number);
}

}  // namespace sb::core
