// Running each pipeline inside a command: set-up, start/stop log lines, summary, exit code. Shared by `run`, `ingest`
// and `scan`.
#pragma once

#include "app/app_context.hpp"
#include "app/commands.hpp"
#include "app/pipeline_setup.hpp"

namespace sb::app {

//! The command line's choices (--once, --source, FILE...) for the set-up.
CommandChoices command_choices(const PipelineArgs& args);

int run_ingest(AppContext& app, const PipelineArgs& args, bool print_summary);
int run_scan(AppContext& app, const PipelineArgs& args, bool print_summary);

}  // namespace sb::app
