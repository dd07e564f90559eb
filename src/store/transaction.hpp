// An SQLite write transaction as an object: BEGIN IMMEDIATE when it starts, COMMIT on commit(), ROLLBACK whenever it
// ends any other way (an early return, a failed statement, a failed COMMIT), so a failure never leaves one open.
#pragma once

#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

class Transaction {
 public:
  //! Takes the write lock now (IMMEDIATE), waiting up to the connection's busy timeout.
  static core::Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  //! Commits; a failed COMMIT is rolled back. Either way the transaction is over.
  core::Status commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;  // null once committed or rolled back
};

}  // namespace sb::store
