// UTF-8 checks for text that must become JSON: locate the first bad byte, or repair it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sb::core {

//! Offset of the first byte that does not start a valid UTF-8 sequence, or nullopt when all is valid.
std::optional<size_t> first_invalid_utf8(std::string_view text);

//! A copy of `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

//! The largest length <= `limit` that does not cut a multi-byte sequence of `text` in two.
size_t utf8_boundary_before(std::string_view text, size_t limit);

}  // namespace sb::core
