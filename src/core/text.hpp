// Small text helpers shared across layers.
#pragma once

#include <string>
#include <string_view>

namespace sb::core {

//! ASCII lower case (hashes, vendor status words); other bytes unchanged.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace sb::core
