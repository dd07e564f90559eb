// enrichments DDL, insert-if-new and the marker lookup.
#include "store/enrichments_table.hpp"

#include <fmt/format.h>

#include "defender/enrichment_json.hpp"

namespace sb::store {

std::string enrichments_ddl() {
  return "CREATE TABLE IF NOT EXISTS enrichments (\n"
         "  marker TEXT PRIMARY KEY,\n"
         "  alert_id TEXT NOT NULL,\n"
         "  hashes TEXT NOT NULL,\n"
         "  classification TEXT NOT NULL,\n"
         "  threat_name TEXT,\n"
         "  verdicts TEXT NOT NULL,\n"
         "  comment TEXT NOT NULL,\n"
         "  posted_at TEXT NOT NULL\n"
         ");\n"
         "CREATE INDEX IF NOT EXISTS enrichments_alert ON enrichments (alert_id);\n"
         "CREATE INDEX IF NOT EXISTS enrichments_posted_at ON enrichments (posted_at);\n";
}

core::Result<EnrichmentsTable> EnrichmentsTable::create(Database& db) {
  auto insert = db.prepare(
      "INSERT OR IGNORE INTO enrichments (marker, alert_id, hashes, classification, threat_name, verdicts, comment, "
      "posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  auto exists = db.prepare("SELECT 1 FROM enrichments WHERE marker = ?");
  if (!exists) return exists.error();
  return EnrichmentsTable(std::move(insert).value(), std::move(exists).value());
}

core::Result<size_t> EnrichmentsTable::insert(std::span<const defender::Enrichment> enrichments,
                                              std::string_view posted_at) {
  size_t inserted = 0;
  for (const auto& enrichment : enrichments) {
    const std::string hashes = defender::hashes_json(enrichment);
    const std::string verdicts = defender::files_json(enrichment);
    insert_.bind_text(1, enrichment.marker)
        .bind_text(2, enrichment.alert_id)
        .bind_text(3, hashes)
        .bind_text(4, intel::classification_name(enrichment.worst))
        .bind_optional_text(5, enrichment.threat_name)
        .bind_text(6, verdicts)
        .bind_text(7, enrichment.comment)
        .bind_text(8, posted_at);
    if (auto status = insert_.run(); !status) return status.error();
    inserted += static_cast<size_t>(insert_.last_changes());
  }
  return inserted;
}

core::Result<std::set<std::string>> EnrichmentsTable::existing_keys(const std::vector<std::string>& markers) {
  std::set<std::string> found;
  for (const auto& marker : markers) {
    exists_.bind_text(1, marker);
    auto row = exists_.step();
    if (!row) {
      exists_.reset();
      return row.error();
    }
    if (*row) found.insert(marker);
    exists_.reset();
  }
  return found;
}

std::string EnrichmentsTable::summary(const std::filesystem::path& path) {
  std::string out = fmt::format("Store: {} (table enrichments; bad records in dead_letters)\n", path.string());
  out +=
      fmt::format("Try:   sqlite3 {} \"SELECT comment FROM enrichments WHERE classification = 'malicious' LIMIT 1\"\n",
                  path.string());
  return out;
}

}  // namespace sb::store
