// The Logs Ingestion field limit (64 KB per value, longer values cut by the service wherever it likes): we cut
// first, on our terms, so the value stays valid JSON and says that it was cut.
#pragma once

#include <cstddef>
#include <optional>

#include "detect/row.hpp"

namespace sb::detect {

//! The cut form of `cell` when its JSON text is longer than `max_bytes` (nullopt when it fits, which a size
//! comparison decides for almost every cell):
//! - a string keeps its beginning (cut on a UTF-8 boundary) followed by "…[truncated by spectra-bridge: kept X
//!   of Y bytes]";
//! - an array keeps its leading elements that fit, then a last element "[truncated by spectra-bridge: kept K of
//!   N elements, X of Y bytes]";
//! - an object keeps its leading members that fit, then a member "spectra_bridge_truncated" saying the same.
//! The result is at most `max_bytes` long (`max_bytes` must leave room for the note: at least 256).
std::optional<Cell> cut_to_limit(const Cell& cell, size_t max_bytes);

}  // namespace sb::detect
