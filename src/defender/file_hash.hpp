// File hash validation for values read from Defender evidence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::defender {

enum class HashType { kMd5, kSha1, kSha256 };

constexpr size_t hex_length(HashType type) {
  switch (type) {
    case HashType::kMd5: return 32;
    case HashType::kSha1: return 40;
    case HashType::kSha256: return 64;
  }
  return 0;
}

//! The hash lower-cased, or an error saying why it is not a `type` hash (wrong length, not hex, all zeros).
core::Result<std::string> normalize_hash(HashType type, std::string_view value);

}  // namespace sb::defender
