// SQLite wrapper implementation.
#include "store/sqlite.hpp"

#include <fmt/format.h>

namespace sb::store {

namespace {
constexpr int kBusyTimeoutMs = 10000;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Statement& Statement::bind_int(int index, int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view value) {
  sqlite3_bind_blob64(stmt_.get(), index, value.data(), value.size(), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_optional_text(int index, std::string_view value) {
  return value.empty() ? bind_null(index) : bind_text(index, value);
}

core::Status Statement::run() {
  const int rc = sqlite3_step(stmt_.get());
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return core::make_error(fmt::format("SQLite: {}", sqlite3_errmsg(db_)));
  return {};
}

core::Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return core::make_error(fmt::format("SQLite: {}", sqlite3_errmsg(db_)));
}

int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(stmt_.get(), index);
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_.get(), index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), index)));
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

core::Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path, bool read_only) {
  sqlite3* db = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return core::make_error(fmt::format("cannot open store {}: {}", path.string(), message));
  }
  std::unique_ptr<Database> database(new Database(db, path));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  if (!read_only) {
    // WAL: readers (dashboard, sqlite3 shell) never block the writer. FULL: a committed batch survives
    // power loss, which matters because the input is acknowledged (moved to done/) right after commit.
    if (auto status = database->exec("PRAGMA synchronous=FULL;"); !status) return status.error();
    auto mode = database->prepare("PRAGMA journal_mode=WAL");
    if (!mode) return mode.error();
    auto row = mode->step();
    if (!row || !*row || mode->column_text(0) != "wal") {
      return core::make_error(
          fmt::format("store {} cannot use write-ahead logging (is it on a network file "
                      "system?); readers would block the writer",
                      path.string()));
    }
  }
  return database;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

core::Status Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string error = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    return core::make_error(fmt::format("SQLite ({}): {}", path_.string(), error));
  }
  return {};
}

core::Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return core::make_error(fmt::format("SQLite: cannot prepare statement: {}", sqlite3_errmsg(db_)));
  }
  return Statement(stmt, db_);
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace sb::store
