// Parsing a whole JSON document with simdjson DOM, and turning a failure into a message with the byte offset.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

//! Describes why `bytes` is not valid JSON, locating the first bad byte when it can.
Error describe_json_error(std::string_view bytes, simdjson::error_code error);

//! Parses `bytes` (validating all of it: syntax, UTF-8, depth) into `parser`'s document. The element
//! lives until the parser's next parse. `bytes` with SIMDJSON_PADDING spare capacity is not copied.
Result<simdjson::dom::element> parse_json(simdjson::dom::parser& parser, const std::string& bytes);

}  // namespace sb::core
