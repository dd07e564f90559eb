// Hash validation: the scanner sends hashes to paid APIs, so malformed ones are stopped here.
#include "defender/file_hash.hpp"

#include <fmt/format.h>

namespace sb::defender {

core::Result<std::string> normalize_hash(HashType type, std::string_view value) {
  const size_t expected = hex_length(type);
  if (value.size() != expected) {
    return core::make_error(fmt::format("is {} characters long, expected {}", value.size(), expected),
                            core::ErrorKind::kBadInput);
  }
  std::string out(value);
  bool all_zero = true;
  for (auto& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex) return core::make_error("is not hexadecimal", core::ErrorKind::kBadInput);
    all_zero = all_zero && c == '0';
  }
  if (all_zero) return core::make_error("is all zeros (a placeholder, not a file)", core::ErrorKind::kBadInput);
  return out;
}

}  // namespace sb::defender
