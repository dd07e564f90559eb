// An ordered JSON tree for generated reports, and its two renderings: the nested and the flat view.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/json_writer.hpp"

namespace sb::tools::report_gen {

// Ordered JSON tree. A report is built as a tree first and rendered afterwards, so the nested and
// the flat view are two renderings of one content and cannot drift apart.
class Value {
 public:
  using Array = std::vector<Value>;
  //! Members in insertion order. Parallel vectors rather than a vector of (key, Value) pairs: a
  //! pair type would be incomplete inside Value, which some standard libraries reject in a variant.
  struct Object {
    std::vector<std::string> keys;
    std::vector<Value> values;
  };

  // Implicit on purpose: building reports reads like the JSON it produces.
  Value(bool flag) : data_(flag) {}
  Value(int number) : data_(int64_t{number}) {}
  Value(int64_t number) : data_(number) {}
  Value(uint64_t number) : data_(static_cast<int64_t>(number)) {}
  Value(double number) : data_(number) {}
  Value(std::string text) : data_(std::move(text)) {}
  Value(std::string_view text) : data_(std::string(text)) {}
  Value(const char* text) : data_(std::string(text)) {}

  static Value array();
  static Value object();

  //! Appends a member to an object; returns *this for chaining.
  Value& set(std::string key, Value value);
  //! Appends an element to an array; returns *this for chaining.
  Value& push(Value value);

  const bool* as_bool() const { return std::get_if<bool>(&data_); }
  const int64_t* as_int() const { return std::get_if<int64_t>(&data_); }
  const double* as_double() const { return std::get_if<double>(&data_); }
  const std::string* as_string() const { return std::get_if<std::string>(&data_); }
  const Array* as_array() const { return std::get_if<Array>(&data_); }
  const Object* as_object() const { return std::get_if<Object>(&data_); }

 private:
  struct ArrayTag {};
  struct ObjectTag {};
  explicit Value(ArrayTag);
  explicit Value(ObjectTag);

  std::variant<bool, int64_t, double, std::string, Array, Object> data_;
};

//! An array of strings.
Value string_array(const std::vector<std::string>& items);

//! Writes `value` as (nested) JSON.
void write_nested(core::JsonWriter& writer, const Value& value);

//! Writes one tc_report entry in the flat view: keys joined with "_", arrays indexed, arrays of named
//! objects keyed by name; `tags` stays an array, as in the real flat sample.
void write_flat_entry(core::JsonWriter& writer, const Value& entry);

}  // namespace sb::tools::report_gen
