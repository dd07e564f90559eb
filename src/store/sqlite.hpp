// Thin RAII wrappers over the SQLite C API: a connection and prepared statements, errors as Result.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::store {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt, &sqlite3_finalize), db_(db) {}

  Statement& bind_null(int index);
  Statement& bind_int(int index, int64_t value);
  //! The text must stay alive until step() (SQLITE_STATIC: no copy on the hot path).
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view value);
  Statement& bind_optional_text(int index, std::string_view value);

  //! Runs to completion (INSERT/UPDATE/DDL). Resets the statement for reuse.
  core::Status run();
  //! Rows changed by the last run() on this connection (0 when INSERT OR IGNORE skipped a duplicate).
  int64_t last_changes() const { return sqlite3_changes64(db_); }
  //! For queries: true while a row is available.
  core::Result<bool> step();
  int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;
  void reset();

 private:
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt_{nullptr, &sqlite3_finalize};
  sqlite3* db_ = nullptr;
};

class Database {
 public:
  //! Opens (creating) the database in WAL mode with a busy timeout, so several processes can share it.
  static core::Result<std::unique_ptr<Database>> open(const std::filesystem::path& path, bool read_only = false);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  core::Status exec(std::string_view sql);
  core::Result<Statement> prepare(std::string_view sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  const std::filesystem::path& path() const { return path_; }
  std::string last_error() const { return sqlite3_errmsg(db_); }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
};

//! Quotes an identifier ("index" is a keyword).
std::string quote_identifier(std::string_view name);

}  // namespace sb::store
