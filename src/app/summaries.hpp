// The closing summaries of `ingest`, `scan` and `run --once`: what was done, what each output delivered, and where
// to look (the outputs add their own lines, the store's with a query to try).
#pragma once

#include <string>

#include "app/pipeline_setup.hpp"

namespace sb::app {

std::string render_ingest_summary(const IngestSetup& setup, double seconds);
std::string render_scan_summary(const ScanSetup& setup, double seconds);

}  // namespace sb::app
