// The sqlite history backend's entry: the lookup_history table of the local store (one instance).
#include "history/history_entry.hpp"
#include "store/lookup_history_table.hpp"

namespace sb::history {

const HistoryEntry& sqlite_history_entry() {
  static const HistoryEntry entry{
      .name = "sqlite",
      .summary = "The lookup_history table of the local SQLite store: one instance, nothing to set up.",
      .keys = [](std::string_view) { return std::vector<core::KeySpec>{}; },
      .make = [](const HistoryContext& context) -> core::Result<std::unique_ptr<intel::LookupHistory>> {
        auto history = store::SqliteLookupHistory::open(context.store_path, context.ttl);
        if (!history) return history.error();
        return std::unique_ptr<intel::LookupHistory>(std::move(history).value());
      },
      .doctor = {},
  };
  return entry;
}

}  // namespace sb::history
