// The azure_table history backend: one entity per hash in an Azure Storage table that several instances share
// (PartitionKey the hash's first two characters, RowKey the hash), so no instance asks about a hash another one
// looked up within its TTL.
#pragma once

#include <memory>

#include "azure/table_client.hpp"
#include "intel/lookup_history.hpp"

namespace sb::history {

//! The partition of a hash's entity: its first two characters (256 partitions for hex hashes).
std::string history_partition(std::string_view hash);

class AzureTableHistory final : public intel::LookupHistory {
 public:
  AzureTableHistory(std::unique_ptr<azure::TableClient> table, intel::HistoryTtl ttl);

  //! One point read per hash. An entity that does not parse, or has expired, is a miss.
  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>& hashes,
                                                           core::SystemTime now) override;
  //! One upsert per hash (the hash asked about and the file's other hashes); the first failure ends the call.
  core::Status remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) override;

 private:
  std::unique_ptr<azure::TableClient> table_;
  intel::HistoryTtl ttl_;
};

}  // namespace sb::history
