// What a ReversingLabs HTTP exchange means for a lookup: rate limit, counters, status → failure kind, batching.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/token_bucket.hpp"
#include "http/http_client.hpp"
#include "intel/intel_provider.hpp"

namespace sb::rl {

//! Sent when the options name no other User-Agent (reversinglabs.md §1.1 asks connectors for a distinct one).
inline constexpr std::string_view kDefaultUserAgent = "spectra-bridge/" SB_VERSION;

//! What a provider's refusals mean, in words that tell the user which config section to fix.
struct ProviderHints {
  std::string_view provider;     // "spectra_intelligence", the prefix of every message
  std::string_view credentials;  // after a 401
  std::string_view permission;   // after a 403
};

//! True when `hash` is lower-case hex of `type`'s length, the only text that may go into a request path or body.
bool is_sendable_hash(core::HashType type, std::string_view hash);

//! The failure a final HTTP status means for a lookup, in words naming what to fix. Only for statuses the caller does
//! not read itself (not 2xx, not 404); the kind is http::error_kind_of_status's.
core::Error failure_for_status(const ProviderHints& hints, long status, std::string_view request_name, int attempts);

//! One provider's way to the network, shared by its concurrent lookups. Thread-safe.
class ProviderChannel {
 public:
  //! Asks one batch (at most max_batch sendable hashes) and adds what the replies say to `verdicts`.
  using AskBatch =
      std::function<std::optional<core::Error>(std::span<const std::string>, std::map<std::string, intel::Verdict>&)>;

  //! `requests_per_second` <= 0 means unlimited.
  ProviderChannel(std::shared_ptr<http::HttpClient> http, double requests_per_second, ProviderHints hints,
                  std::stop_token stop = {});

  //! Waits for the rate limit, sends and counts `request`. A 2xx or 404 reply comes back for the caller to
  //! read; any other outcome as the core::Error it means. `request_name` ("GET https://host/path", no query,
  //! never a secret) goes into the messages.
  std::variant<http::Response, core::Error> send(const http::Request& request, std::string_view request_name);

  //! The failure for a reply that cannot be read (asking again later may help: kRetryLater).
  core::Error bad_response(std::string_view request_name, std::string_view why) const;

  //! Splits `hashes` into batches of at most `max_batch`, asks each, and then gives every hash asked about a
  //! verdict (intel::Classification::kUnknown when no reply named it) stamped with the provider and the lookup time.
  //! The first failure ends the lookup and no verdict is returned with it. Counts the lookup.
  intel::LookupResult lookup_in_batches(core::HashType type, const std::vector<std::string>& hashes, size_t max_batch,
                                        const AskBatch& ask);

  intel::ProviderCounters counters() const;
  std::string_view provider() const { return hints_.provider; }

 private:
  std::shared_ptr<http::HttpClient> http_;
  core::TokenBucket bucket_;
  ProviderHints hints_;
  std::stop_token stop_;  // ends a wait for the rate limit
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> hashes_{0};
  std::atomic<uint64_t> quota_errors_{0};
  std::atomic<uint64_t> failures_{0};
};

}  // namespace sb::rl
