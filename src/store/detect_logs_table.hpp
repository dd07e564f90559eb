// The spectra_detect_logs table: its DDL is generated from detect/schema, plus indexed lookup columns.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "detect/row.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

//! CREATE TABLE / INDEX statements (idempotent).
std::string detect_logs_ddl();

//! The table rows go to: a prepared insert; duplicates by record_id are ignored (a replayed report adds nothing).
class DetectLogsTable {
 public:
  static constexpr std::string_view kName = "spectra_detect_logs";

  static core::Result<DetectLogsTable> create(Database& db);

  //! Inserts rows inside the caller's transaction. Returns how many were new.
  core::Result<size_t> insert(std::span<const detect::Row> rows, std::string_view now);

  //! What the store at `path` holds, for a run's summary: files by classification, top threat names, a query to try.
  static std::string summary(const std::filesystem::path& path);

 private:
  explicit DetectLogsTable(Statement insert) : insert_(std::move(insert)) {}
  Statement insert_;
};

}  // namespace sb::store
