// gunzip with zlib, independent of the libdeflate the production code compresses with.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace sb::test {

//! The content of gzip data (RFC 1952; several members in a row are joined, as HTTP allows), or nullopt when it is
//! not gzip, is corrupt or ends early. Stops once the output passes `max_output`, returning what it has, so a gzip
//! bomb sent to a fake server cannot exhaust memory.
std::optional<std::string> gunzip(std::string_view gzip, size_t max_output = std::numeric_limits<size_t>::max());

}  // namespace sb::test
