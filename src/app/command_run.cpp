// `run`: the main job, every enabled pipeline in one process. With --once, ingest drains first so the scan that
// follows finds this batch's Spectra Detect verdicts in the store.
#include <thread>

#include "app/pipeline_runs.hpp"
#include "core/log.hpp"
#include "core/stop.hpp"

namespace sb::app {

int run_main_job(const GlobalOptions& globals, bool once) {
  return with_app(globals, [&](AppContext& app, core::SignalStop& signals) {
    auto ingest_settings = read_ingest_settings(app.config);
    auto scan_settings = read_scan_settings(app.config);
    if (!ingest_settings || !scan_settings) {
      core::log_error("invalid configuration",
                      {{"reason", !ingest_settings ? ingest_settings.error().message : scan_settings.error().message}});
      return kExitUsage;
    }
    const bool ingest = ingest_settings->enabled;
    const bool scan = scan_settings->enabled;
    if (!ingest && !scan) {
      core::log_error("nothing to run: every pipeline is disabled (ingest.enabled = false, scan.enabled = false)");
      return kExitUsage;
    }
    PipelineArgs args;
    args.once = once;
    int ingest_code = kExitOk;
    int scan_code = kExitOk;
    if (once || !ingest || !scan) {
      if (ingest) ingest_code = run_ingest(app, args, true);
      if (scan) scan_code = run_scan(app, args, true);
    } else {
      // One pipeline failing stops the other: a half-running service would hide the failure.
      std::thread ingest_thread([&] {
        ingest_code = run_ingest(app, args, true);
        if (ingest_code != kExitOk) signals.source().request_stop();
      });
      scan_code = run_scan(app, args, true);
      if (scan_code != kExitOk) signals.source().request_stop();
      ingest_thread.join();
    }
    return ingest_code != kExitOk ? ingest_code : scan_code;
  });
}

}  // namespace sb::app
