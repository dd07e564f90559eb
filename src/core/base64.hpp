// Base64 (RFC 4648, with padding) through OpenSSL: HTTP Basic credentials, storage account keys and signatures.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

std::string base64_encode(std::string_view bytes);

//! The bytes `text` encodes; an error (that names no part of `text`, which may be a key) when it is not Base64.
Result<std::string> base64_decode(std::string_view text);

}  // namespace sb::core
