// Name lists for messages.
#include "core/registry.hpp"

namespace sb::core {

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace sb::core
