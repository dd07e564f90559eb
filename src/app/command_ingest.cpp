// `ingest`: the Spectra Detect pipeline alone.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "app/commands.hpp"
#include "app/ingest_setup.hpp"
#include "app/ingest_summary.hpp"
#include "app/pipeline_runs.hpp"
#include "app/progress.hpp"
#include "core/log.hpp"

namespace sb::app {

int run_ingest(const core::Config& config, const PipelineArgs& args, bool print_summary) {
  IngestOverrides overrides;
  overrides.once = args.once;
  if (!args.source.empty()) overrides.source = args.source;
  for (const auto& file : args.files) overrides.files.emplace_back(file);
  auto setup = build_ingest(config, overrides);
  if (!setup) {
    core::log_error("cannot start the ingest pipeline", {{"reason", setup.error().message}});
    return kExitFailure;
  }
  core::log_info("ingest started", {{"source", setup->source_description}, {"once", args.once ? "true" : "false"}});
  const auto start = std::chrono::steady_clock::now();
  core::Status status;
  {
    ProgressReporter progress(setup->pipeline->stats());
    status = setup->pipeline->run(command_stop());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& stats = setup->pipeline->stats();
  core::log_info("ingest stopped", {{"files", stats.inputs_done.load()},
                                    {"rows", stats.rows.load()},
                                    {"quarantined", stats.inputs_failed.load()},
                                    {"pending", stats.inputs_pending.load()}});
  if (print_summary) {
    const auto summary = render_ingest_summary(*setup->pipeline, seconds, setup->store);
    std::fputs(summary.c_str(), stdout);
    std::fflush(stdout);
  }
  if (!status) {
    core::log_error("ingest failed; unacknowledged inputs will be read again", {{"reason", status.error().message}});
    return kExitFailure;
  }
  return kExitOk;
}

void add_ingest_command(CLI::App& app, CommandState& state) {
  auto ingest_args = std::make_shared<PipelineArgs>();
  auto* ingest = app.add_subcommand(
      "ingest", "Run the Spectra Detect pipeline from the configured source to the configured sinks until stopped");
  ingest->add_flag("--once", ingest_args->once, "Drain the inbox (or read the input to its end) and exit");
  ingest->add_option("--source", ingest_args->source, "Override ingest.source")
      ->check(CLI::IsMember({"folder", "stdin", "files"}));
  ingest->add_option("files", ingest_args->files, "Report files to ingest once (a file-list source)");
  ingest->callback([&state, ingest_args] {
    const auto config = load_config_or_fail(state);
    if (!config) return;
    state.exit_code = run_ingest(*config, *ingest_args, false);
  });
}

}  // namespace sb::app
