// Global command-line options and the configuration they select, shared by every command.
#pragma once

#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/exit_codes.hpp"
#include "core/result.hpp"

namespace sb::app {

struct GlobalOptions {
  std::string config_path;  // --config; empty: ./spectra-bridge.toml when present, else the embedded default
  std::string log_level;    // --log-level overrides the config
  std::string log_format;   // --log-format overrides the config
};

//! The config file in use: --config, else ./spectra-bridge.toml when it exists, else none.
std::optional<std::filesystem::path> chosen_config_file(const GlobalOptions& options);

//! This process's environment as "NAME=value" strings.
std::vector<std::string> process_environment();

//! The stop request of this command (SIGINT, SIGTERM, or a failing pipeline of `run`); cli.cpp owns its source.
std::stop_token command_stop();
std::stop_source& command_stop_source();

//! Loads the configuration (file + environment) and applies the logging settings.
core::Result<core::Config> load_config(const GlobalOptions& options);

//! Resolved paths of the embedded default layout.
std::filesystem::path data_dir(const core::Config& config);
std::filesystem::path detect_inbox(const core::Config& config);
std::filesystem::path defender_inbox(const core::Config& config);
std::filesystem::path store_path(const core::Config& config);

using core::kExitFailure;
using core::kExitOk;
using core::kExitUsage;

}  // namespace sb::app
