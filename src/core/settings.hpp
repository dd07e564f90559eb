// Typed configuration (the Fluent Bit way): a component declares each key once, bound to a member of its options
// struct. The same table hands its keys to Config::load (so a key no table declares is an error, and `config example`
// documents it) and reads their values into the struct at start-up; no key is looked up by a spelled path.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/config.hpp"
#include "core/result.hpp"

namespace sb::core {

//! "ingest.folder" + "path" → "ingest.folder.path"; a key of the top level has no section.
std::string key_path(std::string_view section, std::string_view name);

//! A TOML literal of a string or of a list of strings, for a key's default.
std::string toml_string_literal(std::string_view text);
std::string toml_list_literal(const std::vector<std::string>& items);

template <typename Options>
class Settings {
 public:
  Settings& text(std::string name, std::string Options::*member, std::string_view default_value,
                 std::string description, std::vector<std::string> choices = {}) {
    return add(
        {std::move(name), KeyType::kString, toml_string_literal(default_value), std::move(description),
         std::move(choices)},
        [member](Options& options, const ConfigValue& value) { options.*member = std::get<std::string>(value); });
  }

  //! A secret: the key holds a reference (env:, file:, keyvault:), never the value; empty means not set.
  Settings& secret(std::string name, std::string Options::*member, std::string description) {
    return add(
        {std::move(name), KeyType::kSecret, toml_string_literal(""), std::move(description)},
        [member](Options& options, const ConfigValue& value) { options.*member = std::get<std::string>(value); });
  }

  //! A service URL: https, or http for a loopback host only; empty means not configured.
  Settings& url(std::string name, std::string Options::*member, std::string_view default_value,
                std::string description) {
    return add(
        {std::move(name), KeyType::kUrl, toml_string_literal(default_value), std::move(description)},
        [member](Options& options, const ConfigValue& value) { options.*member = std::get<std::string>(value); });
  }

  template <typename Number>
  Settings& number(std::string name, Number Options::*member, int64_t default_value, std::string description,
                   int64_t min, int64_t max) {
    return add({std::move(name), KeyType::kInt, fmt::format("{}", default_value), std::move(description), {}, min, max},
               [member](Options& options, const ConfigValue& value) {
                 options.*member = static_cast<Number>(std::get<int64_t>(value));
               });
  }

  //! A whole number of the duration's unit (the key's name says which: *_ms, *_seconds).
  template <typename Rep, typename Period>
  Settings& duration(std::string name, std::chrono::duration<Rep, Period> Options::*member, int64_t default_count,
                     std::string description, int64_t min, int64_t max) {
    return add({std::move(name), KeyType::kInt, fmt::format("{}", default_count), std::move(description), {}, min, max},
               [member](Options& options, const ConfigValue& value) {
                 options.*member = std::chrono::duration<Rep, Period>(static_cast<Rep>(std::get<int64_t>(value)));
               });
  }

  Settings& flag(std::string name, bool Options::*member, bool default_value, std::string description) {
    return add({std::move(name), KeyType::kBool, default_value ? "true" : "false", std::move(description)},
               [member](Options& options, const ConfigValue& value) { options.*member = std::get<bool>(value); });
  }

  Settings& list(std::string name, std::vector<std::string> Options::*member,
                 const std::vector<std::string>& default_value, std::string description,
                 std::vector<std::string> choices = {}) {
    return add({std::move(name), KeyType::kStringList, toml_list_literal(default_value), std::move(description),
                std::move(choices)},
               [member](Options& options, const ConfigValue& value) {
                 options.*member = std::get<std::vector<std::string>>(value);
               });
  }

  //! A table of names to strings (default empty), for pass-through options such as librdkafka's.
  Settings& table(std::string name, StringTable Options::*member, std::string description) {
    return add(
        {std::move(name), KeyType::kStringTable, "{}", std::move(description)},
        [member](Options& options, const ConfigValue& value) { options.*member = std::get<StringTable>(value); });
  }

  //! The keys, their paths under `section` ("" for the top level).
  std::vector<KeySpec> keys(std::string_view section) const {
    std::vector<KeySpec> out;
    out.reserve(fields_.size());
    for (const auto& field : fields_) {
      KeySpec spec = field.spec;
      spec.path = key_path(section, spec.path);
      out.push_back(std::move(spec));
    }
    return out;
  }

  //! The options as `config` holds them under `section`. Fails only when these keys were not declared to the
  //! configuration (a wiring mistake: every registered component's keys are).
  Result<Options> read(const Config& config, std::string_view section) const {
    Options options{};
    for (const auto& field : fields_) {
      const std::string path = key_path(section, field.spec.path);
      const ConfigValue* value = config.find(path);
      if (value == nullptr) return make_error(fmt::format("configuration key {} is read but was never declared", path));
      field.assign(options, *value);
    }
    return options;
  }

 private:
  struct Field {
    KeySpec spec;  // its path relative to the section
    std::function<void(Options&, const ConfigValue&)> assign;
  };

  Settings& add(KeySpec spec, std::function<void(Options&, const ConfigValue&)> assign) {
    fields_.push_back({std::move(spec), std::move(assign)});
    return *this;
  }

  std::vector<Field> fields_;
};

}  // namespace sb::core
