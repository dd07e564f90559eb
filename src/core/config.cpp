// Configuration loading with toml++ (exceptions stay inside this control-plane file).
#include "core/config.hpp"
#include "core/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>

#include "core/json_writer.hpp"
#include "core/secret.hpp"
#include "core/service_url.hpp"

namespace sb::core {
namespace {

constexpr std::string_view kEnvPrefix = "SPECTRA_BRIDGE__";

std::string_view type_name(KeyType type) {
  switch (type) {
    case KeyType::kString: return "a string";
    case KeyType::kInt: return "an integer";
    case KeyType::kBool: return "a boolean";
    case KeyType::kStringList: return "a list of strings";
    case KeyType::kSecret: return "a secret reference string";
    case KeyType::kUrl: return "a URL string";
    case KeyType::kStringTable: return "a table of strings";
  }
  return "a value";
}

Status check_value(const KeySpec& spec, const ConfigValue& value) {
  auto check_choice = [&](const std::string& text) -> Status {
    if (spec.choices.empty()) return {};
    if (std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end()) return {};
    std::string allowed;
    for (const auto& choice : spec.choices) allowed += fmt::format("{}\"{}\"", allowed.empty() ? "" : ", ", choice);
    return make_error(fmt::format("{}: \"{}\" is not one of {}", spec.path, text, allowed));
  };
  switch (spec.type) {
    case KeyType::kString: return check_choice(std::get<std::string>(value));
    case KeyType::kInt: {
      const auto number = std::get<int64_t>(value);
      if (number < spec.min || number > spec.max) {
        return make_error(fmt::format("{}: {} is outside {}..{}", spec.path, number, spec.min, spec.max));
      }
      return {};
    }
    case KeyType::kStringList:
      for (const auto& item : std::get<std::vector<std::string>>(value)) {
        if (auto status = check_choice(item); !status) return status;
      }
      return {};
    case KeyType::kSecret: {
      const auto& text = std::get<std::string>(value);
      if (text.empty()) return {};
      if (auto parsed = parse_secret_reference(text); !parsed) {
        return make_error(fmt::format("{}: {}", spec.path, parsed.error().message));
      }
      return {};
    }
    case KeyType::kUrl: {
      const auto& text = std::get<std::string>(value);
      if (text.empty()) return {};
      if (auto parsed = parse_service_url(text, spec.path); !parsed) return parsed.error();
      return {};
    }
    case KeyType::kBool:
    case KeyType::kStringTable: return {};
  }
  return {};
}

//! Adds the values of `table` to `out`, a nested table's names joined with dots (TOML reads `a.b = 1` as one).
bool flatten_string_table(const toml::table& table, const std::string& prefix, StringTable& out) {
  for (const auto& [key, node] : table) {
    const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const auto* child = node.as_table()) {
      if (!flatten_string_table(*child, name, out)) return false;
    } else if (const auto* s = node.as_string()) {
      out[name] = s->get();
    } else if (const auto* i = node.as_integer()) {
      out[name] = fmt::format("{}", i->get());
    } else if (const auto* b = node.as_boolean()) {
      out[name] = b->get() ? "true" : "false";
    } else {
      return false;
    }
  }
  return true;
}

Result<ConfigValue> from_toml(const KeySpec& spec, const toml::node& node) {
  auto wrong = [&] { return make_error(fmt::format("{}: expected {}", spec.path, type_name(spec.type))); };
  switch (spec.type) {
    case KeyType::kString:
    case KeyType::kSecret:
    case KeyType::kUrl:
      if (const auto* s = node.as_string()) return ConfigValue(s->get());
      return wrong();
    case KeyType::kInt:
      if (const auto* i = node.as_integer()) return ConfigValue(i->get());
      return wrong();
    case KeyType::kBool:
      if (const auto* b = node.as_boolean()) return ConfigValue(b->get());
      return wrong();
    case KeyType::kStringList: {
      const auto* array = node.as_array();
      if (array == nullptr) return wrong();
      std::vector<std::string> items;
      for (const auto& item : *array) {
        const auto* s = item.as_string();
        if (s == nullptr) return wrong();
        items.push_back(s->get());
      }
      return ConfigValue(std::move(items));
    }
    case KeyType::kStringTable: {
      const auto* table = node.as_table();
      StringTable values;
      if (table == nullptr || !flatten_string_table(*table, "", values)) return wrong();
      return ConfigValue(std::move(values));
    }
  }
  return wrong();
}

Result<ConfigValue> from_text(const KeySpec& spec, std::string_view raw) {
  const std::string text(trim(raw));
  auto wrong = [&] {
    return make_error(fmt::format("{} ({}): expected {}, got \"{}\"", spec.path, environment_name(spec.path),
                                  type_name(spec.type), text));
  };
  switch (spec.type) {
    case KeyType::kString:
    case KeyType::kSecret:
    case KeyType::kUrl: return ConfigValue(text);
    case KeyType::kInt: {
      int64_t number = 0;
      const auto res = std::from_chars(text.data(), text.data() + text.size(), number);
      if (res.ec != std::errc() || res.ptr != text.data() + text.size()) return wrong();
      return ConfigValue(number);
    }
    case KeyType::kBool:
      if (text == "true" || text == "1" || text == "yes" || text == "on") return ConfigValue(true);
      if (text == "false" || text == "0" || text == "no" || text == "off") return ConfigValue(false);
      return wrong();
    case KeyType::kStringList: {
      std::vector<std::string> items;
      if (text.starts_with('[')) {  // JSON array
        simdjson::dom::parser parser;
        simdjson::dom::array array;
        if (parser.parse(text).get_array().get(array) != simdjson::SUCCESS) return wrong();
        for (const auto item : array) {
          std::string_view s;
          if (item.get_string().get(s) != simdjson::SUCCESS) return wrong();
          items.emplace_back(s);
        }
        return ConfigValue(std::move(items));
      }
      size_t start = 0;
      while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const auto item =
            trim(std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return ConfigValue(std::move(items));
    }
    case KeyType::kStringTable: {
      // An inline TOML table: { "fetch.wait.max.ms" = "100", "debug" = "consumer" }.
      try {
        const auto doc = toml::parse(fmt::format("v = {}", text));
        return from_toml(spec, *doc.get("v"));
      } catch (const toml::parse_error&) {
        return wrong();
      }
    }
  }
  return wrong();
}

ConfigValue default_of(const KeySpec& spec) {
  // Defaults are TOML literals so the example file and the code share one spelling.
  const auto doc = toml::parse(fmt::format("v = {}", spec.default_value));
  auto value = from_toml(spec, *doc.get("v"));
  assert(value.ok() && "a default in the key table does not match its type");
  return std::move(value).value();
}

//! The values of `table` by dotted path; a table that `is_value` names (a kStringTable key) is one value.
template <typename IsValue>
void collect_leaves(const toml::table& table, const std::string& prefix, const IsValue& is_value,
                    std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (const auto& [key, node] : table) {
    const std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const auto* child = node.as_table(); child != nullptr && !is_value(path)) {
      collect_leaves(*child, path, is_value, out);
    } else {
      out.emplace_back(path, &node);
    }
  }
}

std::string toml_literal(const ConfigValue& value) {
  std::string out;
  if (const auto* s = std::get_if<std::string>(&value)) {
    append_json_string(out, *s);  // a JSON string is a valid TOML basic string
  } else if (const auto* integer = std::get_if<int64_t>(&value)) {
    out = fmt::format("{}", *integer);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    out = *b ? "true" : "false";
  } else if (const auto* table = std::get_if<StringTable>(&value)) {
    out = "{";
    for (const auto& [name, text] : *table) {
      out += out.size() > 1 ? ", " : " ";
      append_json_string(out, name);
      out += " = ";
      append_json_string(out, text);
    }
    out += out.size() > 1 ? " }" : "}";
  } else {
    const auto& items = std::get<std::vector<std::string>>(value);
    out = "[";
    for (size_t k = 0; k < items.size(); ++k) {
      if (k > 0) out += ", ";
      append_json_string(out, items[k]);
    }
    out += "]";
  }
  return out;
}

std::string_view table_of(std::string_view path) {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
}

std::string_view leaf_of(std::string_view path) {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

//! Renders keys grouped by table, in table order; `line` gives each key's "name = value" text.
template <typename LineFn>
std::string render_tables(std::span<const KeySpec> keys, LineFn line) {
  std::string out;
  std::string_view current = "\x01";
  for (const auto& spec : keys) {
    const auto table = table_of(spec.path);
    if (table != current) {
      if (!table.empty()) out += fmt::format("\n[{}]\n", table);
      current = table;
    }
    out += line(spec);
  }
  return out;
}

}  // namespace

std::string environment_name(std::string_view path) {
  std::string name(kEnvPrefix);
  for (const char c : path) {
    if (c == '.') {
      name += "__";
    } else {
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return name;
}

Result<Config> Config::load(std::span<const KeySpec> keys, const std::optional<std::filesystem::path>& file,
                            std::span<const std::string> environment) {
  Config config;
  for (const auto& spec : keys) {
    for (const auto& e : config.entries_) {
      if (e.spec.path == spec.path) return make_error(fmt::format("configuration key {} is declared twice", spec.path));
      // A table's keys come together, so the example and the effective configuration show each table once.
      const bool same_table = table_of(e.spec.path) == table_of(spec.path);
      if (same_table && &e != &config.entries_.back() &&
          table_of(config.entries_.back().spec.path) != table_of(spec.path)) {
        return make_error(fmt::format("configuration key {} is declared apart from the rest of its table", spec.path));
      }
    }
    config.entries_.push_back({spec, default_of(spec), ValueSource::kDefault});
  }

  auto find = [&](std::string_view path) -> Entry* {
    for (auto& e : config.entries_) {
      if (e.spec.path == path) return &e;
    }
    return nullptr;
  };

  if (file) {
    toml::table table;
    try {
      table = toml::parse_file(file->string());
    } catch (const toml::parse_error& error) {
      const auto& begin = error.source().begin;
      return make_error(fmt::format("{}:{}:{}: {}", file->string(), begin.line, begin.column, error.description()));
    }
    std::vector<std::pair<std::string, const toml::node*>> leaves;
    const auto is_value = [&](const std::string& path) {
      const Entry* e = find(path);
      return e != nullptr && e->spec.type == KeyType::kStringTable;
    };
    collect_leaves(table, "", is_value, leaves);
    for (const auto& [path, node] : leaves) {
      Entry* e = find(path);
      if (e == nullptr) return make_error(fmt::format("{}: unknown key \"{}\"", file->string(), path));
      auto value = from_toml(e->spec, *node);
      if (!value) return make_error(fmt::format("{}: {}", file->string(), value.error().message));
      e->value = std::move(value).value();
      e->source = ValueSource::kFile;
    }
  }

  for (const auto& variable : environment) {
    if (!variable.starts_with(kEnvPrefix)) continue;
    const auto eq = variable.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = variable.substr(0, eq);
    Entry* match = nullptr;
    for (auto& e : config.entries_) {
      if (environment_name(e.spec.path) == name) match = &e;
    }
    if (match == nullptr) {
      config.warnings_.push_back(fmt::format("environment variable {} names no configuration key; ignored", name));
      continue;
    }
    auto value = from_text(match->spec, std::string_view(variable).substr(eq + 1));
    if (!value) return value.error();
    match->value = std::move(value).value();
    match->source = ValueSource::kEnvironment;
  }

  for (const auto& e : config.entries_) {
    if (auto status = check_value(e.spec, e.value); !status) return status.error();
  }
  return config;
}

const ConfigValue* Config::find(std::string_view path) const {
  for (const auto& e : entries_) {
    if (e.spec.path == path) return &e.value;
  }
  return nullptr;
}

std::string Config::render_effective() const {
  std::vector<KeySpec> specs;
  for (const auto& e : entries_) specs.push_back(e.spec);
  size_t next = 0;
  return render_tables(specs, [&](const KeySpec& spec) {
    const auto& e = entries_[next++];
    // Secret keys hold only references (validated at load), so they are printed as they are.
    const std::string value = toml_literal(e.value);
    const std::string source = e.source == ValueSource::kDefault ? "default"
                               : e.source == ValueSource::kFile  ? "file"
                                                                 : environment_name(spec.path);
    return fmt::format("{} = {}  # {}\n", leaf_of(spec.path), value, source);
  });
}

std::string render_example_config(std::span<const KeySpec> keys) {
  std::string out =
      "# spectra-bridge configuration. Every key is optional; the values shown are the defaults.\n"
      "# Any key can be overridden by an environment variable named after its path, e.g.\n"
      "# [ingest.folder] path  <-  SPECTRA_BRIDGE__INGEST__FOLDER__PATH (lists as JSON or comma-separated).\n"
      "# Secrets are references: env:NAME, file:/path or keyvault:https://VAULT.vault.azure.net/secrets/NAME.\n";
  out += render_tables(keys, [](const KeySpec& spec) {
    std::string text = fmt::format("\n# {}\n", spec.description);
    if (!spec.choices.empty()) {
      std::string allowed;
      for (const auto& choice : spec.choices) allowed += fmt::format("{}{}", allowed.empty() ? "" : ", ", choice);
      text += fmt::format("# One of: {}.\n", allowed);
    }
    text += fmt::format("{} = {}\n", leaf_of(spec.path), spec.default_value);
    return text;
  });
  return out;
}

}  // namespace sb::core
