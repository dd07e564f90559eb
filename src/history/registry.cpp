// Every lookup history backend, one line each, and the [scan.history] backend choice. Adding a backend: its file
// (the class and `const HistoryEntry& NAME_entry()`, as in azure_table_history.cpp) and one line here.
#include <fmt/format.h>

#include <utility>

#include "core/settings.hpp"
#include "history/history_entry.hpp"

#define SB_HISTORY_BACKENDS(X) \
  X(sqlite_history)            \
  X(azure_table_history)

namespace sb::history {

SB_DEFINE_REGISTRY(HistoryEntry, history_registry, SB_HISTORY_BACKENDS)

namespace {

struct Choice {
  std::string backend;
};

const core::Settings<Choice>& choice_settings() {
  static const core::Settings<Choice> settings = [] {
    core::Settings<Choice> table;
    table.text("backend", &Choice::backend, "sqlite",
               "Where verdicts are remembered: sqlite (the local store) or azure_table (an Azure Storage table "
               "that several instances share).",
               history_registry().names());
    return table;
  }();
  return settings;
}

core::Result<const HistoryEntry*> chosen(const core::Config& config, std::string_view section) {
  auto choice = choice_settings().read(config, section);
  if (!choice) return choice.error();
  const auto* entry = history_registry().find(choice->backend);
  if (entry == nullptr) {
    return core::make_error(fmt::format("{}.backend: unknown backend \"{}\" ({})", section, choice->backend,
                                        core::join_names(history_registry().names())));
  }
  return entry;
}

}  // namespace

std::vector<core::KeySpec> history_keys(std::string_view section) {
  auto keys = choice_settings().keys(section);
  for (const auto* entry : history_registry().entries()) {
    auto own = entry->keys(core::key_path(section, entry->name));
    keys.insert(keys.end(), own.begin(), own.end());
  }
  return keys;
}

core::Result<std::unique_ptr<intel::LookupHistory>> make_history(const core::Config& config, std::string_view section,
                                                                 const std::filesystem::path& store_path,
                                                                 azure::Identity& azure, intel::HistoryTtl ttl,
                                                                 std::stop_token stop) {
  auto entry = chosen(config, section);
  if (!entry) return entry.error();
  const HistoryContext context{config,         core::key_path(section, (*entry)->name), store_path, azure, ttl,
                               std::move(stop)};
  return (*entry)->make(context);
}

void check_history(const core::Config& config, std::string_view section, const std::filesystem::path& store_path,
                   azure::Identity& azure, intel::HistoryTtl ttl, core::DoctorReport& report) {
  auto entry = chosen(config, section);
  if (!entry) {
    report.fail("lookup history", entry.error().message);
    return;
  }
  if (!(*entry)->doctor) return;
  const HistoryContext context{config, core::key_path(section, (*entry)->name), store_path, azure, ttl, azure.stop()};
  (*entry)->doctor(context, report);
}

}  // namespace sb::history
