// The generator's JSON tree and its nested and flat renderings.
#include "tools/generators/json_tree.hpp"

#include <algorithm>
#include <cassert>

namespace sb::tools::report_gen {

Value::Value(ArrayTag) : data_(Array{}) {}
Value::Value(ObjectTag) : data_(Object{}) {}
Value Value::array() {
  return Value(ArrayTag{});
}
Value Value::object() {
  return Value(ObjectTag{});
}

Value& Value::set(std::string key, Value value) {
  auto* members = std::get_if<Object>(&data_);
  assert(members != nullptr && "set() on a non-object");
  members->keys.push_back(std::move(key));
  members->values.push_back(std::move(value));
  return *this;
}

Value& Value::push(Value value) {
  auto* items = std::get_if<Array>(&data_);
  assert(items != nullptr && "push() on a non-array");
  items->push_back(std::move(value));
  return *this;
}

Value string_array(const std::vector<std::string>& items) {
  Value out = Value::array();
  for (const auto& item : items) out.push(item);
  return out;
}

// Rendering.

void write_nested(core::JsonWriter& writer, const Value& value) {
  if (const auto* flag = value.as_bool()) {
    writer.value(*flag);
  } else if (const auto* number = value.as_int()) {
    writer.value(*number);
  } else if (const auto* real = value.as_double()) {
    writer.value(*real);
  } else if (const auto* text = value.as_string()) {
    writer.value(std::string_view(*text));
  } else if (const auto* items = value.as_array()) {
    writer.begin_array();
    for (const auto& item : *items) write_nested(writer, item);
    writer.end_array();
  } else if (const auto* members = value.as_object()) {
    writer.begin_object();
    for (size_t i = 0; i < members->keys.size(); ++i) {
      writer.key(members->keys[i]);
      write_nested(writer, members->values[i]);
    }
    writer.end_object();
  }
}

namespace {

const Value* find_member(const Value::Object& members, std::string_view key) {
  for (size_t i = 0; i < members.keys.size(); ++i) {
    if (members.keys[i] == key) return &members.values[i];
  }
  return nullptr;
}

//! An array whose elements are all objects with a string "name" is keyed by that name in the flat
//! view (scan_results, hashes), the way Spectra Detect flattens it.
bool is_named_array(const Value::Array& items) {
  if (items.empty()) return false;
  return std::all_of(items.begin(), items.end(), [](const Value& item) {
    const auto* members = item.as_object();
    if (members == nullptr) return false;
    const Value* name = find_member(*members, "name");
    return name != nullptr && name->as_string() != nullptr;
  });
}

std::string join_key(const std::string& prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  std::string joined;
  joined.reserve(prefix.size() + 1 + key.size());
  joined.append(prefix).push_back('_');
  joined.append(key);
  return joined;
}

void write_flat(core::JsonWriter& writer, const std::string& prefix, const Value& value) {
  if (const auto* items = value.as_array()) {
    if (is_named_array(*items)) {
      for (const auto& item : *items) {
        const auto& members = *item.as_object();
        const std::string keyed = join_key(prefix, *find_member(members, "name")->as_string());
        // {name, value} pairs collapse to one key: info_file_hashes_sha1.
        const Value* pair_value = find_member(members, "value");
        if (members.keys.size() == 2 && pair_value != nullptr) {
          write_flat(writer, keyed, *pair_value);
          continue;
        }
        for (size_t i = 0; i < members.keys.size(); ++i) {
          if (members.keys[i] != "name") write_flat(writer, join_key(keyed, members.keys[i]), members.values[i]);
        }
      }
      return;
    }
    for (size_t i = 0; i < items->size(); ++i) {
      write_flat(writer, join_key(prefix, std::to_string(i)), (*items)[i]);
    }
    return;
  }
  if (const auto* members = value.as_object()) {
    for (size_t i = 0; i < members->keys.size(); ++i) {
      write_flat(writer, join_key(prefix, members->keys[i]), members->values[i]);
    }
    return;
  }
  writer.key(prefix);
  write_nested(writer, value);
}

}  // namespace

//! One tc_report entry in the flat view. `tags` stays an array, as in the real flat sample.
void write_flat_entry(core::JsonWriter& writer, const Value& entry) {
  const auto& members = *entry.as_object();
  writer.begin_object();
  for (size_t i = 0; i < members.keys.size(); ++i) {
    if (members.keys[i] == "tags") {
      writer.key(members.keys[i]);
      write_nested(writer, members.values[i]);
    } else {
      write_flat(writer, members.keys[i], members.values[i]);
    }
  }
  writer.end_object();
}

}  // namespace sb::tools::report_gen
