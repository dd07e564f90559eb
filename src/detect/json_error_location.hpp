// Turns a simdjson parse error into a user-facing message with the byte offset where the input went wrong.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "core/result.hpp"

namespace sb::detect {

//! Describes why `bytes` is not valid JSON, locating the first bad byte when it can.
core::Error describe_json_error(std::string_view bytes, simdjson::error_code error);

}  // namespace sb::detect
