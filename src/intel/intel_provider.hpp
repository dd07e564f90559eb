// The IntelProvider interface: one source of file verdicts (Spectra Intelligence, Spectra Analyze, local store).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash_type.hpp"
#include "core/result.hpp"
#include "intel/verdict.hpp"

namespace sb::intel {

using core::HashType;

struct LookupResult {
  //! Verdicts by the hash asked about. A hash missing from the map is unknown to this provider.
  std::map<std::string, Verdict> verdicts;
  //! Set: no verdict of this call can be trusted. kRefusedForGood when the provider refuses our credentials or
  //! rights (a scan stops), any other kind when asking again later may help (quota, outage, an unreadable reply).
  std::optional<core::Error> failure;

  bool ok() const { return !failure.has_value(); }
};

//! Counters a provider keeps for metrics and the scan summary.
struct ProviderCounters {
  uint64_t requests = 0;      // HTTP requests sent (retries included)
  uint64_t hashes = 0;        // hashes asked about
  uint64_t quota_errors = 0;  // 429 responses and quota refusals
  uint64_t failures = 0;      // lookups that ended with a failure
};

class IntelProvider {
 public:
  virtual ~IntelProvider() = default;

  //! "spectra_intelligence", "spectra_analyze", "local".
  virtual std::string_view name() const = 0;

  //! Most hashes one lookup() may carry.
  virtual size_t max_batch() const = 0;

  //! Looks up `hashes` (lower-case, all of `type`, at most max_batch(), no duplicates). Thread-safe.
  virtual LookupResult lookup(HashType type, const std::vector<std::string>& hashes) = 0;

  virtual ProviderCounters counters() const = 0;

  //! Whether its verdicts belong in the lookup history. The local store is read afresh every time: a file
  //! Spectra Detect classifies a minute from now must not hide behind a remembered "unknown".
  virtual bool remembered() const { return true; }
};

}  // namespace sb::intel
