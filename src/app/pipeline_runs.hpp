// Running each pipeline from a command: set-up, start/stop log lines, summary, exit code. Shared by `run`,
// `ingest` and `scan`.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"

namespace sb::app {

struct PipelineArgs {
  bool once = false;
  std::string source;              // overrides <pipeline>.source when set
  std::vector<std::string> files;  // a file-list source when non-empty
};

int run_ingest(const core::Config& config, const PipelineArgs& args, bool print_summary);
int run_scan(const core::Config& config, const PipelineArgs& args, bool print_summary);

}  // namespace sb::app
