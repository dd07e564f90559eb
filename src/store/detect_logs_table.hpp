// The spectra_detect_logs table: its DDL is generated from detect/schema, plus indexed lookup columns.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "detect/row.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

//! CREATE TABLE / INDEX statements (idempotent).
std::string detect_logs_ddl();

//! Prepared insert for rows; duplicates by record_id are ignored (a replayed report adds nothing).
class DetectLogsWriter {
 public:
  static core::Result<DetectLogsWriter> create(Database& db);

  //! Inserts rows inside the caller's transaction. Returns how many were new.
  core::Result<size_t> insert(const std::vector<detect::Row>& rows);

 private:
  explicit DetectLogsWriter(Statement insert) : insert_(std::move(insert)) {}
  Statement insert_;
};

}  // namespace sb::store
