// Random identifiers for the Defender generator: hex, GUIDs, addresses. Drawn from core::Prng only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/prng.hpp"

namespace sb::tools::alert_gen {

inline constexpr std::string_view kLowerHex = "0123456789abcdef";
inline constexpr std::string_view kDigits = "0123456789";
inline constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
inline constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";

inline std::string random_chars(core::Prng& rng, std::string_view alphabet, size_t count) {
  std::string out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i)
    out.push_back(alphabet[static_cast<size_t>(rng.uniform_u64(0, alphabet.size() - 1))]);
  return out;
}

//! A version-4 GUID, the kind Entra ID and Exchange hand out.
inline std::string random_uuid(core::Prng& rng) {
  constexpr std::array<size_t, 5> kGroups = {8, 4, 4, 4, 12};
  constexpr size_t kVersionAt = 14;  // first digit of the third group
  constexpr size_t kVariantAt = 19;  // first digit of the fourth group: 8, 9, a or b
  constexpr std::string_view kVariantDigits = "89ab";
  std::string out;
  for (size_t i = 0; i < kGroups.size(); ++i) {
    if (i > 0) out.push_back('-');
    out += random_chars(rng, kLowerHex, kGroups[i]);
  }
  out[kVersionAt] = '4';
  out[kVariantAt] = kVariantDigits[static_cast<size_t>(rng.uniform_u64(0, kVariantDigits.size() - 1))];
  return out;
}

inline int uniform_int(core::Prng& rng, int lo, int hi) {
  return static_cast<int>(rng.uniform(lo, hi));
}

inline std::string ipv4(int a, int b, int c, int d) {
  return std::to_string(a) + '.' + std::to_string(b) + '.' + std::to_string(c) + '.' + std::to_string(d);
}

//! An index in [0, size) where low indices are drawn far more often: u^power with u uniform in
//! [0, 1) piles up near 0. Multiplications only (no pow), so every platform draws the same index.
inline uint64_t skewed_index(core::Prng& rng, uint64_t size, int power) {
  const double u = rng.unit_double();
  double v = 1.0;
  for (int i = 0; i < power; ++i) v *= u;
  const auto index = static_cast<uint64_t>(v * static_cast<double>(size));
  return index < size ? index : size - 1;
}

}  // namespace sb::tools::alert_gen
