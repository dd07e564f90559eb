// `ingest`: the Spectra Detect pipeline alone.
#include <chrono>
#include <cstdio>

#include "app/pipeline_runs.hpp"
#include "app/pipeline_setup.hpp"
#include "app/progress.hpp"
#include "app/summaries.hpp"
#include "core/log.hpp"
#include "core/stop.hpp"

namespace sb::app {

CommandChoices command_choices(const PipelineArgs& args) {
  CommandChoices choices;
  choices.once = args.once;
  if (!args.source.empty()) choices.source = args.source;
  for (const auto& file : args.files) choices.files.emplace_back(file);
  return choices;
}

int run_ingest(AppContext& app, const PipelineArgs& args, bool print_summary) {
  auto settings = read_ingest_settings(app.config);
  core::Result<IngestSetup> setup =
      settings ? build_ingest(app, *settings, command_choices(args)) : core::Result<IngestSetup>(settings.error());
  if (!setup) {
    core::log_error("cannot start the ingest pipeline", {{"reason", setup.error().message}});
    return kExitFailure;
  }
  core::log_info("ingest started", {{"source", setup->source_description}, {"once", args.once ? "true" : "false"}});
  const auto start = std::chrono::steady_clock::now();
  core::Status status;
  {
    ProgressReporter progress(ingest_progress(setup->pipeline->stats()));
    status = setup->pipeline->run(app.stop);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& stats = setup->pipeline->stats();
  core::log_info("ingest stopped", {{"files", stats.inputs_done.load()},
                                    {"rows", stats.rows.load()},
                                    {"quarantined", stats.inputs_failed.load()},
                                    {"pending", stats.inputs_pending.load()}});
  if (print_summary) {
    const auto summary = render_ingest_summary(*setup, seconds);
    std::fputs(summary.c_str(), stdout);
    std::fflush(stdout);
  }
  if (!status) {
    core::log_error("ingest failed; unacknowledged inputs will be read again", {{"reason", status.error().message}});
    return kExitFailure;
  }
  return kExitOk;
}

int run_ingest_command(const GlobalOptions& globals, const PipelineArgs& args) {
  return with_app(globals, [&](AppContext& app, core::SignalStop&) { return run_ingest(app, args, false); });
}

}  // namespace sb::app
