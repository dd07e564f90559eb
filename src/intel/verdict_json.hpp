// A verdict as compact JSON (lookup history, enrichment records, NDJSON, `lookup` output) and back.
#pragma once

#include <simdjson.h>

#include <string>

#include "core/json_writer.hpp"
#include "core/result.hpp"
#include "intel/verdict.hpp"

namespace sb::intel {

//! {"hash","classification","threat_name",…}: absent optional fields are left out.
void write_verdict_json(core::JsonWriter& out, const Verdict& verdict);
std::string verdict_json(const Verdict& verdict);

//! Reads what write_verdict_json wrote (unknown keys ignored, so older records stay readable).
core::Result<Verdict> read_verdict_json(simdjson::dom::element element);

//! "malicious" → kMalicious …; nullopt for any other text.
std::optional<Classification> classification_from_name(std::string_view name);

}  // namespace sb::intel
