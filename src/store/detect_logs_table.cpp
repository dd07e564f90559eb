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

core::Result<DetectLogsWriter> DetectLogsWriter::create(Database& db) {
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
  return DetectLogsWriter(std::move(stmt).value());
}

core::Result<size_t> DetectLogsWriter::insert(const std::vector<detect::Row>& rows) {
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

}  // namespace sb::store
