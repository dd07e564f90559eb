// `run`: the main job, every enabled pipeline in one process. With --once, ingest drains first so the scan
// that follows finds this batch's Spectra Detect verdicts in the store.
#include <thread>

#include "app/commands.hpp"
#include "app/pipeline_runs.hpp"
#include "core/log.hpp"

namespace sb::app {

void add_run_command(CLI::App& app, CommandState& state) {
  auto args = std::make_shared<PipelineArgs>();
  auto* run = app.add_subcommand("run", "The main job: every enabled pipeline (ingest and scan) until stopped");
  run->add_flag("--once", args->once, "Drain what is waiting, print a summary and exit");
  run->callback([&state, args] {
    const auto config = load_config_or_fail(state);
    if (!config) return;
    const bool ingest = config->get_bool("ingest.enabled");
    const bool scan = config->get_bool("scan.enabled");
    if (!ingest && !scan) {
      core::log_error("nothing to run: every pipeline is disabled (ingest.enabled = false, scan.enabled = false)");
      state.exit_code = kExitUsage;
      return;
    }
    int ingest_code = kExitOk;
    int scan_code = kExitOk;
    if (args->once || !ingest || !scan) {
      if (ingest) ingest_code = run_ingest(*config, *args, true);
      if (scan) scan_code = run_scan(*config, *args, true);
    } else {
      // One pipeline failing stops the other: a half-running service would hide the failure.
      std::thread ingest_thread([&] {
        ingest_code = run_ingest(*config, *args, true);
        if (ingest_code != kExitOk) command_stop_source().request_stop();
      });
      scan_code = run_scan(*config, *args, true);
      if (scan_code != kExitOk) command_stop_source().request_stop();
      ingest_thread.join();
    }
    state.exit_code = ingest_code != kExitOk ? ingest_code : scan_code;
  });
}

}  // namespace sb::app
