// The NDJSON output: one JSON object per item (a row, an enrichment), to a file (appended, fsync on flush, cut back
// when a batch is discarded) or to stdout. At-least-once: after a crash between its flush and the store's commit a
// line can repeat; every line carries its record_id or marker.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "engine/output.hpp"

namespace sb::outputs {

//! `path` "-" means stdout.
template <typename Item>
core::Result<std::unique_ptr<engine::Output<Item>>> make_ndjson_output(const std::string& path);

}  // namespace sb::outputs
