// Summary text; the store part is read back from SQLite so it shows what a user will find there.
#include "app/ingest_summary.hpp"

#include <fmt/format.h>

#include "store/sqlite.hpp"

namespace sb::app {
namespace {

constexpr int kTopThreats = 5;

std::string verdict_name(int64_t verdict, bool is_null) {
  if (is_null) return "unclassified";
  switch (verdict) {
    case 0: return "unknown";
    case 1: return "goodware";
    case 2: return "suspicious";
    case 3: return "malicious";
    default: return fmt::format("class {}", verdict);
  }
}

//! Runs `sql` and calls `each` per row; stops quietly on error (the summary is best effort).
template <typename Fn>
void for_each_row(store::Database& db, std::string_view sql, Fn each) {
  auto stmt = db.prepare(sql);
  if (!stmt) return;
  while (true) {
    auto more = stmt->step();
    if (!more || !*more) return;
    each(*stmt);
  }
}

std::string store_part(const std::filesystem::path& path) {
  auto opened = store::Database::open(path, true);
  if (!opened) return fmt::format("Store: {} (cannot read it: {})\n", path.string(), opened.error().message);
  auto& db = **opened;
  std::string out = "Files in the store by classification:";
  for_each_row(db, "SELECT verdict, COUNT(*) FROM spectra_detect_logs GROUP BY verdict ORDER BY verdict DESC",
               [&](store::Statement& row) {
                 out +=
                     fmt::format("  {} {}", verdict_name(row.column_int(0), row.column_is_null(0)), row.column_int(1));
               });
  out += "\nTop threat names:";
  bool any = false;
  for_each_row(db,
               fmt::format("SELECT threat_name, COUNT(*) FROM spectra_detect_logs WHERE verdict >= 2 AND threat_name "
                           "IS NOT NULL GROUP BY threat_name ORDER BY 2 DESC, 1 LIMIT {}",
                           kTopThreats),
               [&](store::Statement& row) {
                 out += fmt::format("{} {} ({})", any ? "," : "", row.column_text(0), row.column_int(1));
                 any = true;
               });
  if (!any) out += " none";
  out += fmt::format("\nStore: {} (table spectra_detect_logs; quarantined inputs in dead_letters)\n", path.string());
  out += fmt::format(
      "Try:   sqlite3 {} \"SELECT file_name, threat_name, sha256 FROM spectra_detect_logs WHERE verdict = 3 LIMIT "
      "10\"\n",
      path.string());
  return out;
}

}  // namespace

std::string render_ingest_summary(const pipeline::IngestPipeline& pipeline, double seconds,
                                  const std::optional<std::filesystem::path>& store) {
  const auto& s = pipeline.stats();
  std::string out = fmt::format(
      "\nIngested {} file(s): {} report(s), {} row(s) in {:.1f} s. Quarantined: {}. Still processing (left in the "
      "inbox): {}.\n",
      s.inputs_done.load(), s.reports.load(), s.rows.load(), seconds, s.inputs_failed.load(), s.inputs_pending.load());
  size_t duplicates = 0;
  for (const auto& sink : pipeline.sinks()) duplicates += sink->duplicates();
  if (duplicates > 0) out += fmt::format("Rows already in the store (replays, skipped): {}.\n", duplicates);
  for (const auto& sink : pipeline.sinks()) out += sink->summary();
  if (store) out += store_part(*store);
  return out;
}

}  // namespace sb::app
