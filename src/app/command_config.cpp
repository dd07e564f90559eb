// `config example` and `config check [FILE]`.
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.hpp"

namespace sb::app {

int run_config_example() {
  const auto text = core::render_example_config(all_config_keys());
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

int run_config_check(GlobalOptions globals, const std::string& file) {
  if (!file.empty()) globals.config_path = file;
  auto loaded = load_config(globals);
  if (!loaded) {
    std::fputs(fmt::format("configuration is invalid: {}\n", loaded.error().message).c_str(), stderr);
    return kExitUsage;
  }
  const auto chosen = chosen_config_file(globals);
  std::fputs(fmt::format("# configuration is valid ({})\n", chosen ? chosen->string() : "embedded default").c_str(),
             stdout);
  std::fputs(loaded->render_effective().c_str(), stdout);
  return kExitOk;
}

}  // namespace sb::app
