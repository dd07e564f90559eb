// BEGIN IMMEDIATE takes the write lock at once, so a transaction never fails half-way on a busy database.
#include "store/transaction.hpp"

namespace sb::store {

core::Result<Transaction> Transaction::begin(Database& db) {
  if (auto status = db.exec("BEGIN IMMEDIATE"); !status) return status.error();
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

core::Status Transaction::commit() {
  Database* db = db_;
  db_ = nullptr;
  if (auto status = db->exec("COMMIT"); !status) {
    (void)db->exec("ROLLBACK");
    return status;
  }
  return {};
}

}  // namespace sb::store
