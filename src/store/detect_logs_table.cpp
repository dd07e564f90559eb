// spectra_detect_logs: schema columns (JSON columns as JSON text) + derived columns the dashboard and the
// scanner's local verdict provider search by (hashes, verdict, threat name).
#include "store/detect_logs_table.hpp"

#include <fmt/format.h>

#include <array>

#include "detect/schema.hpp"

namespace sb::store {
namespace {

using detect::ColumnType;
using detect::kColumns;
using detect::kStoreTableName;

//! Derived columns, filled from RowFacts, in insert order after the schema columns.
constexpr std::array<std::string_view, 7> kDerivedColumns = {"sha1",        "sha256",    "md5",      "verdict",
                                                             "threat_name", "file_name", "file_type"};

std::string_view sqlite_type(ColumnType type) {
  switch (type) {
    case ColumnType::kInt: return "INTEGER";
    case ColumnType::kDatetime:
    case ColumnType::kString:
    case ColumnType::kDynamic: return "TEXT";
  }
  return "TEXT";
}

}  // namespace

std::string detect_logs_ddl() {
  const auto table = quote_identifier(kStoreTableName);
  std::string ddl = fmt::format("CREATE TABLE IF NOT EXISTS {} (\n  row_id INTEGER PRIMARY KEY", table);
  for (const auto& column : kColumns) {
    const bool is_record_id = column.id == detect::ColumnId::kRecordId;
    ddl += fmt::format(",\n  {} {}{}", quote_identifier(column.name), sqlite_type(column.type),
                       is_record_id ? " NOT NULL UNIQUE" : "");
  }
  ddl +=
      ",\n  sha1 TEXT, sha256 TEXT, md5 TEXT, verdict INTEGER, threat_name TEXT, file_name TEXT, file_type TEXT\n);\n";
  for (const std::string_view column : {"TimeGenerated", "task_id", "verdict", "sha1", "sha256", "md5"}) {
    ddl +=
        fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} ({});\n",
                    quote_identifier(fmt::format("{}_{}", kStoreTableName, column)), table, quote_identifier(column));
  }
  return ddl;
}

core::Result<DetectLogsTable> DetectLogsTable::create(Database& db) {
  std::string names;
  std::string params;
  for (const auto& column : kColumns) {
    names += (names.empty() ? "" : ", ") + quote_identifier(column.name);
    params += params.empty() ? "?" : ", ?";
  }
  for (const auto column : kDerivedColumns) {
    names += ", " + quote_identifier(column);
    params += ", ?";
  }
  auto stmt = db.prepare(
      fmt::format("INSERT OR IGNORE INTO {} ({}) VALUES ({})", quote_identifier(kStoreTableName), names, params));
  if (!stmt) return stmt.error();
  return DetectLogsTable(std::move(stmt).value());
}

core::Result<size_t> DetectLogsTable::insert(std::span<const detect::Row> rows, std::string_view) {
  size_t inserted = 0;
  for (const auto& row : rows) {
    int param = 1;
    for (const auto& cell : row.cells) {
      switch (cell.kind) {
        case detect::Cell::Kind::kNull: insert_.bind_null(param); break;
        case detect::Cell::Kind::kInt: insert_.bind_int(param, cell.integer); break;
        case detect::Cell::Kind::kString:
        case detect::Cell::Kind::kJson: insert_.bind_text(param, cell.text); break;
      }
      ++param;
    }
    const auto& facts = row.facts;
    insert_.bind_optional_text(param++, facts.sha1);
    insert_.bind_optional_text(param++, facts.sha256);
    insert_.bind_optional_text(param++, facts.md5);
    if (facts.verdict) {
      insert_.bind_int(param++, *facts.verdict);
    } else {
      insert_.bind_null(param++);
    }
    insert_.bind_optional_text(param++, facts.threat_name);
    insert_.bind_optional_text(param++, facts.file_name);
    insert_.bind_optional_text(param++, facts.file_type);
    if (auto status = insert_.run(); !status) return status.error();
    inserted += static_cast<size_t>(insert_.last_changes());
  }
  return inserted;
}

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

//! Runs `sql` and calls `each` per row; stops quietly on error (a summary is best effort).
template <typename Fn>
void for_each_row(Database& db, std::string_view sql, Fn each) {
  auto stmt = db.prepare(sql);
  if (!stmt) return;
  while (true) {
    auto more = stmt->step();
    if (!more || !*more) return;
    each(*stmt);
  }
}

}  // namespace

std::string DetectLogsTable::summary(const std::filesystem::path& path) {
  auto opened = Database::open(path, true);
  if (!opened) return fmt::format("Store: {} (cannot read it: {})\n", path.string(), opened.error().message);
  auto& db = **opened;
  std::string out = "Files in the store by classification:";
  for_each_row(db, "SELECT verdict, COUNT(*) FROM spectra_detect_logs GROUP BY verdict ORDER BY verdict DESC",
               [&](Statement& row) {
                 out +=
                     fmt::format("  {} {}", verdict_name(row.column_int(0), row.column_is_null(0)), row.column_int(1));
               });
  out += "\nTop threat names:";
  bool any = false;
  for_each_row(db,
               fmt::format("SELECT threat_name, COUNT(*) FROM spectra_detect_logs WHERE verdict >= 2 AND threat_name "
                           "IS NOT NULL GROUP BY threat_name ORDER BY 2 DESC, 1 LIMIT {}",
                           kTopThreats),
               [&](Statement& row) {
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

}  // namespace sb::store
