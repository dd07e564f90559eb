// File hash kinds (md5, sha1, sha256) shared by the Defender parser and the ReversingLabs clients.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sb::core {

enum class HashType { kMd5, kSha1, kSha256 };

constexpr size_t hex_length(HashType type) {
  switch (type) {
    case HashType::kMd5: return 32;
    case HashType::kSha1: return 40;
    case HashType::kSha256: return 64;
  }
  return 0;
}

//! "md5", "sha1", "sha256" (the names the ReversingLabs APIs use).
constexpr std::string_view hash_type_name(HashType type) {
  switch (type) {
    case HashType::kMd5: return "md5";
    case HashType::kSha1: return "sha1";
    case HashType::kSha256: return "sha256";
  }
  return "";
}

//! By length: 32 → md5, 40 → sha1, 64 → sha256; nullopt otherwise.
constexpr std::optional<HashType> hash_type_of(std::string_view hash) {
  for (HashType type : {HashType::kMd5, HashType::kSha1, HashType::kSha256}) {
    if (hash.size() == hex_length(type)) return type;
  }
  return std::nullopt;
}

}  // namespace sb::core
