// Store schema set-up: each table's DDL lives with the code that writes the table.
#include "store/store.hpp"

#include "core/files.hpp"
#include "store/dead_letters.hpp"
#include "store/detect_logs_table.hpp"
#include "store/enrichments_table.hpp"
#include "store/lookup_history_table.hpp"

namespace sb::store {

core::Result<std::unique_ptr<Database>> open_store(const std::filesystem::path& path) {
  if (path.has_parent_path()) {
    if (auto status = core::ensure_folder(path.parent_path()); !status) return status.error();
  }
  auto db = Database::open(path);
  if (!db) return db.error();
  const std::string ddl = detect_logs_ddl() + lookup_history_ddl() + enrichments_ddl() + dead_letters_ddl();
  if (auto status = (*db)->exec(ddl); !status) return status.error();
  return db;
}

}  // namespace sb::store
