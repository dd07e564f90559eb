// The LookupHistory interface: verdicts already obtained, reused until their time-to-live runs out, so no
// hash is asked about twice (SQLite in the store, or Azure Table storage shared by several instances: src/history).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "intel/verdict.hpp"

namespace sb::intel {

//! How long a verdict is trusted, by classification: an unknown file may be seen by ReversingLabs any
//! minute, a malicious one stays malicious.
struct HistoryTtl {
  std::chrono::seconds malicious{std::chrono::hours(24 * 30)};
  std::chrono::seconds suspicious{std::chrono::hours(24 * 7)};
  std::chrono::seconds goodware{std::chrono::hours(24 * 7)};
  std::chrono::seconds unknown{std::chrono::hours(1)};

  std::chrono::seconds of(Classification classification) const;
};

class LookupHistory {
 public:
  virtual ~LookupHistory() = default;

  //! The unexpired verdicts among `hashes` (lower-case), keyed by hash. Thread-safe.
  virtual core::Result<std::map<std::string, Verdict>> find(const std::vector<std::string>& hashes,
                                                            core::SystemTime now) = 0;

  //! Stores verdicts under the hash asked about and every other hash of the file the verdict names, with the
  //! TTL of their classification counted from `now`. A newer verdict replaces an older one. Thread-safe.
  virtual core::Status remember(const std::vector<Verdict>& verdicts, core::SystemTime now) = 0;
};

}  // namespace sb::intel
