// Top-level CLI: global options and the command list.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "core/log.hpp"

namespace sb::app {

std::optional<core::Config> load_config_or_fail(CommandState& state) {
  auto config = load_config(state.globals);
  if (config) return std::move(config).value();
  core::log_error("invalid configuration", {{"reason", config.error().message}});
  state.exit_code = kExitUsage;
  return std::nullopt;
}

int run_cli(int argc, char** argv) {
  CLI::App app{
      "spectra-bridge: ReversingLabs file intelligence for Microsoft security.\n"
      "Ingests Spectra Detect task reports into SpectraDetectLogs_CL rows (SQLite store, NDJSON).",
      "spectra-bridge"};
  app.require_subcommand(1);
  CommandState state;
  app.add_option("--config", state.globals.config_path,
                 "Configuration file (default: ./spectra-bridge.toml when it exists, else the embedded default)");
  app.add_option("--log-level", state.globals.log_level, "debug, info, warn or error (overrides log_level)");
  app.add_option("--log-format", state.globals.log_format, "json or text (overrides log_format)");

  add_run_command(app, state);
  add_ingest_command(app, state);
  add_scan_commands(app, state);
  add_flatten_command(app, state);
  add_gen_command(app, state);
  add_config_command(app, state);
  add_version_command(app, state);
  add_bench_command(app, state);
  add_doctor_command(app, state);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return state.exit_code;
}

}  // namespace sb::app
