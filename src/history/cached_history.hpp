// A bounded in-process cache in front of a shared LookupHistory: verdicts found or remembered here are answered from
// memory until they expire, least recently used first out when it is full. Misses are never cached, so a verdict
// another instance remembers is found on the next read.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "intel/lookup_history.hpp"

namespace sb::history {

class CachedHistory final : public intel::LookupHistory {
 public:
  CachedHistory(std::unique_ptr<intel::LookupHistory> backend, intel::HistoryTtl ttl, size_t max_entries);

  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>& hashes,
                                                           core::SystemTime now) override;
  core::Status remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) override;

  size_t size() const;

 private:
  struct Entry {
    intel::Verdict verdict;
    core::SystemTime expires;
    std::list<std::string>::iterator age;  // its place in recency_
  };
  void put(const std::string& hash, const intel::Verdict& verdict, core::SystemTime expires);

  std::unique_ptr<intel::LookupHistory> backend_;
  intel::HistoryTtl ttl_;
  size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recently used first
};

}  // namespace sb::history
