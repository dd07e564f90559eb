// `version`.
#include <simdjson.h>
#include <sqlite3.h>

#include <cstdio>

#include <fmt/format.h>

#include "app/commands.hpp"

namespace sb::app {

int run_version() {
  std::fputs(fmt::format("spectra-bridge {} (simdjson {}.{}.{}, SQLite {})\n", SB_VERSION,
                         static_cast<int>(simdjson::SIMDJSON_VERSION_MAJOR),
                         static_cast<int>(simdjson::SIMDJSON_VERSION_MINOR),
                         static_cast<int>(simdjson::SIMDJSON_VERSION_REVISION), sqlite3_libversion())
                 .c_str(),
             stdout);
  return kExitOk;
}

}  // namespace sb::app
