// File hash validation for values read from Defender evidence.
#pragma once

#include <string>
#include <string_view>

#include "core/hash_type.hpp"
#include "core/result.hpp"

namespace sb::defender {

using core::HashType;

//! The hash lower-cased, or an error saying why it is not a `type` hash (wrong length, not hex, all zeros).
core::Result<std::string> normalize_hash(HashType type, std::string_view value);

}  // namespace sb::defender
