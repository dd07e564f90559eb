// The lookup_history table: the SQLite LookupHistory (one row per hash, JSON verdict, expiry time).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "intel/lookup_history.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

std::string lookup_history_ddl();

class SqliteLookupHistory final : public intel::LookupHistory {
 public:
  //! Opens its own connection to the store at `path` (the history is used from the resolver's threads).
  static core::Result<std::unique_ptr<SqliteLookupHistory>> open(const std::filesystem::path& path,
                                                                 intel::HistoryTtl ttl);

  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>& hashes,
                                                           core::SystemTime now) override;
  core::Status remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) override;
  ~SqliteLookupHistory() override;

 private:
  SqliteLookupHistory(std::unique_ptr<Database> db, Statement find, Statement remember, intel::HistoryTtl ttl);

  std::mutex mutex_;
  std::unique_ptr<Database> db_;
  Statement find_;  // prepared once: find() runs for every message the scanner reads
  Statement remember_;
  intel::HistoryTtl ttl_;
  struct Buffers;  // simdjson's parser, kept out of this header (it is large to compile)
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace sb::store
