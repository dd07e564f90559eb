// CachedHistory: an LRU map of hash → verdict and expiry in front of the backend; misses go to the backend in one
// call, and what it finds is kept.
#include "history/cached_history.hpp"

#include <algorithm>

namespace sb::history {
namespace {

//! How long a verdict read from the backend is answered from memory at most: the backend knows when it expires and
//! this cache does not, so it asks again after this (a verdict is reused at most this much past its TTL).
constexpr std::chrono::seconds kFoundEntryMaxAge{300};

}  // namespace

CachedHistory::CachedHistory(std::unique_ptr<intel::LookupHistory> backend, intel::HistoryTtl ttl, size_t max_entries)
    : backend_(std::move(backend)), ttl_(ttl), max_entries_(std::max<size_t>(max_entries, 1)) {}

size_t CachedHistory::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

void CachedHistory::put(const std::string& hash, const intel::Verdict& verdict, core::SystemTime expires) {
  if (auto it = entries_.find(hash); it != entries_.end()) {
    recency_.erase(it->second.age);
    entries_.erase(it);
  }
  recency_.push_front(hash);
  entries_.emplace(hash, Entry{verdict, expires, recency_.begin()});
  while (entries_.size() > max_entries_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
}

core::Result<std::map<std::string, intel::Verdict>> CachedHistory::find(const std::vector<std::string>& hashes,
                                                                        core::SystemTime now) {
  std::map<std::string, intel::Verdict> found;
  std::vector<std::string> misses;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& hash : hashes) {
      auto it = entries_.find(hash);
      if (it == entries_.end()) {
        misses.push_back(hash);
        continue;
      }
      if (it->second.expires <= now) {
        recency_.erase(it->second.age);
        entries_.erase(it);
        misses.push_back(hash);
        continue;
      }
      recency_.splice(recency_.begin(), recency_, it->second.age);
      found.emplace(hash, it->second.verdict);
    }
  }
  if (misses.empty()) return found;
  auto fetched = backend_->find(misses, now);
  // What memory holds is still an answer when the backend fails: the misses then go to the providers.
  if (!fetched) return found.empty() ? core::Result<std::map<std::string, intel::Verdict>>(fetched.error()) : found;
  const std::lock_guard lock(mutex_);
  for (auto& [hash, verdict] : *fetched) {
    // A verdict remembered while the backend was read is newer than what the backend returned.
    if (entries_.count(hash) == 0) {
      put(hash, verdict, now + std::min<std::chrono::seconds>(ttl_.of(verdict.classification), kFoundEntryMaxAge));
    }
    found.emplace(hash, std::move(verdict));
  }
  return found;
}

core::Status CachedHistory::remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) {
  // Kept in memory whether or not the backend took them: they are this instance's verdicts either way.
  auto status = backend_->remember(verdicts, now);
  const std::lock_guard lock(mutex_);
  for (const auto& verdict : verdicts) {
    const auto expires = now + ttl_.of(verdict.classification);
    for (const auto* key : {&verdict.hash, &verdict.md5, &verdict.sha1, &verdict.sha256}) {
      if (key->empty()) continue;
      intel::Verdict copy = verdict;
      copy.hash = *key;
      put(*key, copy, expires);
    }
  }
  return status;
}

}  // namespace sb::history
