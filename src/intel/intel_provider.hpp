// The IntelProvider interface: one source of file verdicts (Spectra Intelligence, Spectra Analyze, local store).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash_type.hpp"
#include "intel/verdict.hpp"

namespace sb::intel {

using core::HashType;

//! Why a lookup produced no answer. Permanent failures (credentials, rights) will not heal by retrying.
struct LookupFailure {
  enum class Kind {
    kCredentials,  // 401: wrong username/password/token
    kPermission,   // 403: the account lacks the right for this API
    kQuota,        // 429 (after honouring Retry-After) or a quota message: try again later
    kTransient,    // 5xx, timeouts, connection failures after the retries
    kBadResponse,  // a 2xx body we cannot read
  };
  Kind kind;
  std::string message;  // names the provider, the request (never a secret) and the status

  bool permanent() const { return kind == Kind::kCredentials || kind == Kind::kPermission; }
};

struct LookupResult {
  //! Verdicts by the hash asked about. A hash missing from the map is unknown to this provider.
  std::map<std::string, Verdict> verdicts;
  std::optional<LookupFailure> failure;  // set: no verdict of this call can be trusted

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
