// Registration of every CLI command; each lives in its own command_*.cpp file.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>

#include "app/app_context.hpp"

namespace sb::app {

//! What a command callback reports back to main: the process exit code.
struct CommandState {
  GlobalOptions globals;
  int exit_code = kExitOk;
};

//! Loads the configuration; on failure logs why, sets exit code 2 and returns nullopt.
std::optional<core::Config> load_config_or_fail(CommandState& state);

void add_run_command(CLI::App& app, CommandState& state);
void add_ingest_command(CLI::App& app, CommandState& state);
void add_scan_commands(CLI::App& app, CommandState& state);  // scan, lookup
void add_flatten_command(CLI::App& app, CommandState& state);
void add_gen_command(CLI::App& app, CommandState& state);
void add_config_command(CLI::App& app, CommandState& state);
void add_version_command(CLI::App& app, CommandState& state);
void add_bench_command(CLI::App& app, CommandState& state);
void add_doctor_command(CLI::App& app, CommandState& state);

}  // namespace sb::app
