// `config example` and `config check [FILE]`.
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "app/config_keys.hpp"

namespace sb::app {

void add_config_command(CLI::App& app, CommandState& state) {
  auto* config = app.add_subcommand("config", "Show or check the configuration");
  config->require_subcommand(1);
  auto* example = config->add_subcommand("example", "Print a commented configuration file with every key");
  example->callback([] {
    const auto text = core::render_example_config(config_keys());
    std::fputs(text.c_str(), stdout);
  });

  auto file = std::make_shared<std::string>();
  auto* check = config->add_subcommand("check",
                                       "Validate a configuration (file + SPECTRA_BRIDGE__* variables) and print the "
                                       "effective one (secrets appear only as their references)");
  check->add_option("file", *file, "Configuration file (default: --config, ./spectra-bridge.toml, or none)");
  check->callback([&state, file] {
    GlobalOptions globals = state.globals;
    if (!file->empty()) globals.config_path = *file;
    auto loaded = load_config(globals);
    if (!loaded) {
      std::fputs(fmt::format("configuration is invalid: {}\n", loaded.error().message).c_str(), stderr);
      state.exit_code = kExitUsage;
      return;
    }
    const auto chosen = chosen_config_file(globals);
    std::fputs(fmt::format("# configuration is valid ({})\n", chosen ? chosen->string() : "embedded default").c_str(),
               stdout);
    std::fputs(loaded->render_effective().c_str(), stdout);
  });
}

}  // namespace sb::app
