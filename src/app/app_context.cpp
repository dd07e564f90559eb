// Config selection and logging set-up.
#include "app/app_context.hpp"

#include <unistd.h>

#include <vector>

#include <fmt/format.h>

#include "app/config_keys.hpp"
#include "core/log.hpp"
#include "core/stop.hpp"

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

namespace {
core::SignalStop& signal_stop() {
  static core::SignalStop stop;
  return stop;
}
}  // namespace

std::stop_token command_stop() {
  return signal_stop().token();
}

std::stop_source& command_stop_source() {
  return signal_stop().source();
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
  auto config = core::Config::load(config_keys(), file, environment);
  if (!config) return config.error();

  core::LogLevel level = core::LogLevel::kInfo;
  const std::string& level_name = options.log_level.empty() ? config->get_string("log_level") : options.log_level;
  if (!core::parse_log_level(level_name, level)) {
    return core::make_error(fmt::format("unknown log level \"{}\" (debug, info, warn, error)", level_name));
  }
  core::set_log_level(level);
  const std::string& format = options.log_format.empty() ? config->get_string("log_format") : options.log_format;
  if (format != "json" && format != "text") {
    return core::make_error(fmt::format("unknown log format \"{}\" (json, text)", format));
  }
  core::set_log_format(format == "json" ? core::LogFormat::kJson : core::LogFormat::kText);
  for (const auto& warning : config->warnings()) core::log_warn(warning);
  return config;
}

std::filesystem::path data_dir(const core::Config& config) {
  return config.get_string("data_dir");
}

std::filesystem::path detect_inbox(const core::Config& config) {
  const auto& path = config.get_string("ingest.folder.path");
  return path.empty() ? data_dir(config) / "inbox" / "detect" : std::filesystem::path(path);
}

std::filesystem::path defender_inbox(const core::Config& config) {
  const auto& path = config.get_string("scan.folder.path");
  return path.empty() ? data_dir(config) / "inbox" / "defender" : std::filesystem::path(path);
}

std::filesystem::path store_path(const core::Config& config) {
  const auto& path = config.get_string("store.path");
  return path.empty() ? data_dir(config) / "store.db" : std::filesystem::path(path);
}

}  // namespace sb::app
