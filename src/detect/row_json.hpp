// Serialises a row as one JSON object with the schema's column names, in schema order (NDJSON, Logs Ingestion).
#pragma once

#include <string>

#include "detect/row.hpp"

namespace sb::detect {

//! Appends the row as a compact JSON object (no trailing newline). Null cells are written as null.
void append_row_json(std::string& out, const Row& row);

}  // namespace sb::detect
