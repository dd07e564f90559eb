// `doctor`: asks every component the configuration uses to check itself the way a support engineer would, one line
// per check with the fix for a failure; exit 1 when any check fails.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "core/doctor_report.hpp"
#include "core/stop.hpp"
#include "history/history_entry.hpp"
#include "outputs/output_entry.hpp"
#include "providers/provider_entry.hpp"
#include "sources/source_entry.hpp"

namespace sb::app {
namespace {

void check_source(AppContext& app, const engine::PipelineTraits& traits, const std::string& name,
                  core::DoctorReport& report) {
  const auto* entry = sources::source_registry().find(name);
  if (entry == nullptr || !entry->doctor || !sources::serves(*entry, traits.name)) return;
  const sources::SourceContext context{
      app.config,     fmt::format("{}.{}", traits.name, name), traits, app.globals.data_dir, 0, true, {}, app.stop,
      app.azure.get()};
  entry->doctor(context, report);
}

void check_outputs(AppContext& app, const engine::PipelineTraits& traits, const std::vector<std::string>& names,
                   core::DoctorReport& report) {
  for (const auto& name : names) {
    const auto* entry = outputs::output_registry().find(name);
    if (entry == nullptr || !entry->doctor) continue;
    const outputs::OutputContext context{
        app.config, fmt::format("{}.{}", traits.name, name), traits, app.globals.store_path, *app.azure, nullptr,
        app.stop};
    entry->doctor(context, report);
  }
}

void check_providers(AppContext& app, const std::vector<std::string>& names, core::DoctorReport& report) {
  for (const auto& name : names) {
    const auto* entry = providers::provider_registry().find(name);
    if (entry == nullptr || !entry->doctor) continue;
    const providers::ProviderContext context{app.config, fmt::format("scan.{}", name), app.globals.store_path,
                                             *app.azure, app.stop};
    entry->doctor(context, report);
  }
}

}  // namespace

int run_doctor(const GlobalOptions& globals) {
  return with_app(globals, [&](AppContext& app, core::SignalStop&) {
    auto ingest = read_ingest_settings(app.config);
    auto scan = read_scan_settings(app.config);
    if (!ingest || !scan) {
      std::fputs(
          fmt::format("invalid configuration: {}\n", !ingest ? ingest.error().message : scan.error().message).c_str(),
          stderr);
      return kExitUsage;
    }
    core::DoctorReport report;
    if (ingest->enabled) {
      check_source(app, kIngestTraits, ingest->source, report);
      check_outputs(app, kIngestTraits, ingest->sinks, report);
    }
    if (scan->enabled) {
      check_source(app, kScanTraits, scan->source, report);
      check_outputs(app, kScanTraits, scan->writers, report);
      check_providers(app, scan->providers, report);
      history::check_history(app.config, "scan.history", app.globals.store_path, *app.azure, scan->history, report);
    }
    std::fputs(report.failures() == 0 ? "All checks passed.\n"
                                      : fmt::format("{} check(s) failed.\n", report.failures()).c_str(),
               stdout);
    return report.failures() == 0 ? kExitOk : kExitFailure;
  });
}

}  // namespace sb::app
