// record_id as documented in the README (KQL users can recompute it).
#include "detect/record_id.hpp"

#include <fmt/format.h>

#include "core/hash.hpp"

namespace sb::detect {

std::string make_record_id(std::optional<std::string_view> task_id, std::optional<int64_t> submitted, int64_t index,
                           std::string_view sha1) {
  std::string key;
  key.reserve(128);
  if (task_id) key += *task_id;
  key += '|';
  if (submitted) fmt::format_to(std::back_inserter(key), "{}", *submitted);
  fmt::format_to(std::back_inserter(key), "|{}|", index);
  key += sha1;
  return core::hex_digest(core::Digest::kSha256, key);
}

}  // namespace sb::detect
