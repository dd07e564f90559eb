// gunzip with zlib, independent of the libdeflate the production code compresses with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb::test {

//! The content of a gzip member, or nullopt when `gzip` is not one (bad header, bad CRC, truncated).
std::optional<std::string> gunzip(std::string_view gzip);

}  // namespace sb::test
