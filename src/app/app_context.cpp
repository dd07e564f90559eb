// Config selection, logging set-up and the shared parts of a command.
#include "app/app_context.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "core/log.hpp"

extern char** environ;

namespace sb::app {

std::optional<std::filesystem::path> chosen_config_file(const GlobalOptions& options) {
  if (!options.config_path.empty()) return std::filesystem::path(options.config_path);
  const std::filesystem::path local = "spectra-bridge.toml";
  std::error_code ec;
  if (std::filesystem::exists(local, ec) && !ec) return local;
  return std::nullopt;
}

std::vector<std::string> process_environment() {
  std::vector<std::string> environment;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) environment.emplace_back(*e);
  return environment;
}

core::Result<core::Config> load_config(const GlobalOptions& options) {
  const auto environment = process_environment();
  const auto file = chosen_config_file(options);
  if (file) {
    std::error_code ec;
    const auto status = std::filesystem::status(*file, ec);
    if (ec || !std::filesystem::exists(status)) {
      return core::make_error(
          fmt::format("config file {} cannot be read: {}", file->string(), ec ? ec.message() : "it does not exist"));
    }
    if (!std::filesystem::is_regular_file(status)) {
      return core::make_error(fmt::format("config file {} is not a regular file", file->string()));
    }
  }
  const auto keys = all_config_keys();
  auto config = core::Config::load(keys, file, environment);
  if (!config) return config.error();
  auto globals = read_global_settings(*config);
  if (!globals) return globals.error();

  core::LogLevel level = core::LogLevel::kInfo;
  const std::string& level_name = options.log_level.empty() ? globals->log_level : options.log_level;
  if (!core::parse_log_level(level_name, level)) {
    return core::make_error(fmt::format("unknown log level \"{}\" (debug, info, warn, error)", level_name));
  }
  core::set_log_level(level);
  const std::string& format = options.log_format.empty() ? globals->log_format : options.log_format;
  if (format != "json" && format != "text") {
    return core::make_error(fmt::format("unknown log format \"{}\" (json, text)", format));
  }
  core::set_log_format(format == "json" ? core::LogFormat::kJson : core::LogFormat::kText);
  for (const auto& warning : config->warnings()) core::log_warn(warning);
  return config;
}

std::optional<AppContext> open_app(const GlobalOptions& options, std::stop_token stop, int& exit_code) {
  auto fail = [&](const core::Error& error) -> std::optional<AppContext> {
    core::log_error("invalid configuration", {{"reason", error.message}});
    exit_code = kExitUsage;
    return std::nullopt;
  };
  auto config = load_config(options);
  if (!config) return fail(config.error());
  auto globals = read_global_settings(*config);
  if (!globals) return fail(globals.error());
  auto azure = azure::azure_settings().read(*config, "azure");
  if (!azure) return fail(azure.error());
  AppContext app{std::move(config).value(), std::move(globals).value(), nullptr, stop};
  app.azure = std::make_unique<azure::Identity>(std::move(azure).value(), process_environment(), std::move(stop));
  return app;
}

}  // namespace sb::app
