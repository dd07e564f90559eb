// Configuration: the keys every component declares (type, default, limits, docs) drive TOML parsing, environment
// overrides, validation, `config example` and the `config check` output (secrets only as references). Values are
// read through the typed tables of core/settings.hpp, never by a path spelled at the call site.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace sb::core {

//! kUrl: a service URL (https, or http for loopback hosts only); empty means "not configured". kStringTable: a TOML
//! table of names to strings (`{ "fetch.wait.max.ms" = "100" }`; numbers and booleans are taken as their text, and
//! unquoted dotted names as the dotted name).
enum class KeyType { kString, kInt, kBool, kStringList, kSecret, kUrl, kStringTable };

using StringTable = std::map<std::string, std::string>;

//! One configuration key. `path` is dotted ("ingest.folder.path"); its table is everything before the last dot.
struct KeySpec {
  std::string path;
  KeyType type;
  std::string default_value;  // TOML literal: "\"folder\"", "5000", "true", "[\"store\"]", "{}"
  std::string description;
  std::vector<std::string> choices = {};  // allowed strings (for kString and each kStringList item)
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

using ConfigValue = std::variant<std::string, int64_t, bool, std::vector<std::string>, StringTable>;

//! Where a value came from, for `config check`.
enum class ValueSource { kDefault, kFile, kEnvironment };

class Config {
 public:
  //! Loads defaults, then `file` (when given), then SPECTRA_BRIDGE__* variables from `environment`
  //! ("NAME=value" strings). Unknown keys in the file are errors; unknown variables only warnings.
  static Result<Config> load(std::span<const KeySpec> keys, const std::optional<std::filesystem::path>& file,
                             std::span<const std::string> environment);

  //! The value of key `path`, or nullptr when no table declared it. Components read through core::Settings.
  const ConfigValue* find(std::string_view path) const;

  //! The effective configuration as TOML (secret keys hold references, never values), each line tagged with its
  //! source.
  std::string render_effective() const;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Entry {
    KeySpec spec;
    ConfigValue value;
    ValueSource source;
  };

  std::vector<Entry> entries_;
  std::vector<std::string> warnings_;
};

//! A commented TOML file with every key at its default.
std::string render_example_config(std::span<const KeySpec> keys);

//! The environment variable that overrides `path`: SPECTRA_BRIDGE__INGEST__FOLDER__PATH.
std::string environment_name(std::string_view path);

}  // namespace sb::core
