// The azure_table history backend: one entity per hash in an Azure Storage table that several instances share
// (PartitionKey the hash's first two characters, RowKey the hash), so no instance asks about a hash another one
// looked up within its TTL.
#pragma once

#include <atomic>
#include <memory>

#include "azure/table_client.hpp"
#include "intel/lookup_history.hpp"

namespace sb::history {

//! The partition of a hash's entity: its first two characters (256 partitions for hex hashes).
std::string history_partition(std::string_view hash);

class AzureTableHistory final : public intel::LookupHistory {
 public:
  AzureTableHistory(std::unique_ptr<azure::TableClient> table, intel::HistoryTtl ttl);

  //! One point read per hash. An entity that does not parse, or has expired, is a miss; so is every hash after a
  //! read that failed (logged), and every hash while the table is left alone after a failure.
  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>& hashes,
                                                           core::SystemTime now) override;
  //! One upsert per hash (the hash asked about and the file's other hashes). An entity the service refuses as it is
  //! is skipped (the first such error is returned at the end); a table that does not answer ends the call.
  core::Status remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) override;

 private:
  bool paused() const;
  void pause(const core::Error& error, std::string_view what);

  std::unique_ptr<azure::TableClient> table_;
  intel::HistoryTtl ttl_;
  std::atomic<int64_t> paused_until_{0};  // steady-clock ticks; thread-safe without a lock
};

}  // namespace sb::history
