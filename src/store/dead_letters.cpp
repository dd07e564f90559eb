// dead_letters DDL and insert.
#include "store/dead_letters.hpp"

#include "core/clock.hpp"

namespace sb::store {

std::string dead_letters_ddl() {
  return "CREATE TABLE IF NOT EXISTS dead_letters (\n"
         "  id INTEGER PRIMARY KEY,\n"
         "  time TEXT NOT NULL,\n"
         "  pipeline TEXT NOT NULL,\n"
         "  source TEXT NOT NULL,\n"
         "  name TEXT NOT NULL,\n"
         "  reason TEXT NOT NULL,\n"
         "  byte_offset INTEGER,\n"
         "  location TEXT,\n"
         "  payload BLOB\n"
         ");\n"
         "CREATE INDEX IF NOT EXISTS dead_letters_time ON dead_letters (time);\n";
}

core::Status insert_dead_letter(Database& db, const DeadLetter& letter) {
  auto stmt = db.prepare(
      "INSERT INTO dead_letters (time, pipeline, source, name, reason, byte_offset, location, payload) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  const std::string time = core::now_iso8601_utc();
  stmt->bind_text(1, time).bind_text(2, letter.pipeline).bind_text(3, letter.source).bind_text(4, letter.name);
  stmt->bind_text(5, letter.reason);
  if (letter.offset) {
    stmt->bind_int(6, static_cast<int64_t>(*letter.offset));
  } else {
    stmt->bind_null(6);
  }
  stmt->bind_optional_text(7, letter.location);
  if (letter.payload.empty()) {
    stmt->bind_null(8);
  } else {
    stmt->bind_blob(8, letter.payload);
  }
  return stmt->run();
}

}  // namespace sb::store
