// Key paths and the TOML literals of typed defaults.
#include "core/settings.hpp"

#include "core/json_writer.hpp"

namespace sb::core {

std::string key_path(std::string_view section, std::string_view name) {
  if (section.empty()) return std::string(name);
  std::string path(section);
  path += '.';
  path += name;
  return path;
}

std::string toml_string_literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);  // a JSON string is a valid TOML basic string
  return out;
}

std::string toml_list_literal(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += ", ";
    append_json_string(out, items[k]);
  }
  out += "]";
  return out;
}

}  // namespace sb::core
