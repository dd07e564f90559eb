// One generator per thread, seeded from the OS, so ids differ across threads and processes without a lock.
#include "core/request_id.hpp"

#include <random>

#include "core/prng.hpp"

namespace sb::core {

std::string new_request_id() {
  thread_local Prng prng((static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}());
  constexpr std::string_view kHex = "0123456789abcdef";
  constexpr std::string_view kVariant = "89ab";
  std::string id;
  id.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id.push_back('-');
    char digit = kHex[prng.next_u64() & 0xf];
    if (i == 12) digit = '4';                              // version 4
    if (i == 16) digit = kVariant[prng.next_u64() & 0x3];  // RFC 4122 variant
    id.push_back(digit);
  }
  return id;
}

}  // namespace sb::core
