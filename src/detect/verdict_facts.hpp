// Small readers shared by the nested and flat paths: lenient integer coercion and the row facts (hashes, verdict).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "detect/row.hpp"

namespace sb::detect {

//! How an integer-typed field read.
enum class IntRead { kValue, kNull, kInvalid };

//! Reads an integer that may arrive as a number, a numeric string ("1712234413", " 42 ", "1.5e3")
//! or null/"" (kNull). Fractions are truncated toward zero. Anything else is kInvalid.
IntRead read_integer(simdjson::dom::element value, int64_t& out);

//! The integer value or nullopt when null/absent/invalid (for facts, where a bad value is not fatal).
std::optional<int64_t> integer_or_null(simdjson::dom::element value);

//! The string value, or "" for any other type.
std::string string_or_empty(simdjson::dom::element value);

//! Records an md5/sha1/sha256 hash (by its name) into the facts, lower-cased.
void note_hash(RowFacts& facts, std::string_view name, simdjson::dom::element value);

//! Fills the facts from a nested entry's info and classification objects.
void read_nested_facts(simdjson::dom::object entry, RowFacts& facts);

}  // namespace sb::detect
