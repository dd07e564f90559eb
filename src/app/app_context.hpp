// What every command starts from: the global command-line options, the configuration they select, and the parts a
// command builds once and all its pipelines share (the [azure] identity, the stop request).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "app/settings.hpp"
#include "azure/identity.hpp"
#include "core/config.hpp"
#include "core/exit_codes.hpp"
#include "core/result.hpp"
#include "core/stop.hpp"

namespace sb::app {

using core::kExitFailure;
using core::kExitOk;
using core::kExitUsage;

struct GlobalOptions {
  std::string config_path;  // --config; empty: ./spectra-bridge.toml when present, else the embedded default
  std::string log_level;    // --log-level overrides the config
  std::string log_format;   // --log-format overrides the config
};

//! The config file in use: --config, else ./spectra-bridge.toml when it exists, else none.
std::optional<std::filesystem::path> chosen_config_file(const GlobalOptions& options);

//! This process's environment as "NAME=value" strings.
std::vector<std::string> process_environment();

//! Loads the configuration (file + environment, every registered key) and applies the logging settings.
core::Result<core::Config> load_config(const GlobalOptions& options);

struct AppContext {
  core::Config config;
  GlobalSettings globals;
  std::unique_ptr<azure::Identity> azure;
  std::stop_token stop;
};

//! Loads the configuration and builds the shared parts; on failure logs why and sets `exit_code` to 2.
std::optional<AppContext> open_app(const GlobalOptions& options, std::stop_token stop, int& exit_code);

//! Runs `command(app, signals)` with the shared parts of a command, SIGINT and SIGTERM requesting its stop; exit 2
//! without running it when the configuration is invalid.
template <typename Command>
int with_app(const GlobalOptions& options, Command command) {
  core::SignalStop signals;
  int exit_code = kExitOk;
  auto app = open_app(options, signals.token(), exit_code);
  if (!app) return exit_code;
  return command(*app, signals);
}

}  // namespace sb::app
