// Status mapping per reversinglabs.md §1.2 (the SDK's RESPONSE_CODE_ERROR_MAP): 401/403 are refused for good, 429
// is quota, 5xx and transport failures heal with time. 404 is left to the caller because it means "unknown hash".
#include "rl/provider_status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace sb::rl {
namespace {

// One second's worth of requests may go out back to back after an idle spell.
constexpr double kBurstSeconds = 1.0;

}  // namespace

bool is_sendable_hash(core::HashType type, std::string_view hash) {
  return hash.size() == core::hex_length(type) &&
         std::all_of(hash.begin(), hash.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

core::Error failure_for_status(const ProviderHints& hints, long status, std::string_view request_name, int attempts) {
  const auto head = fmt::format("{}: {} from {}", hints.provider, http::status_text(status), request_name);
  const auto kind = http::error_kind_of_status(status);
  switch (status) {
    case http::kUnauthorized: return core::make_error(fmt::format("{} — {}", head, hints.credentials), kind);
    case http::kForbidden: return core::make_error(fmt::format("{} — {}", head, hints.permission), kind);
    case http::kTooManyRequests:
      return core::make_error(
          fmt::format("{} after {} attempt(s) — the quota or rate limit is spent; try again later", head, attempts),
          kind);
    default: break;
  }
  if (http::is_retryable_status(status)) {
    return core::make_error(
        fmt::format("{} after {} attempt(s) — the service is failing; try again later", head, attempts), kind);
  }
  return core::make_error(fmt::format("{} — the service refused the request", head), kind);
}

ProviderChannel::ProviderChannel(std::shared_ptr<http::HttpClient> http, double requests_per_second,
                                 ProviderHints hints, std::stop_token stop)
    : http_(std::move(http)),
      bucket_(requests_per_second, std::max(1.0, requests_per_second * kBurstSeconds)),
      hints_(hints),
      stop_(std::move(stop)) {
  assert(http_ != nullptr);
}

std::variant<http::Response, core::Error> ProviderChannel::send(const http::Request& request,
                                                                std::string_view request_name) {
  if (!bucket_.acquire(stop_)) {
    return core::make_error(fmt::format("{}: stopped before sending {}", hints_.provider, request_name));
  }
  auto response = http_->send(request);
  if (!response) {
    // The client does not say how many tries it made before giving up; one is the floor.
    requests_.fetch_add(1, std::memory_order_relaxed);
    return core::make_error(
        fmt::format("{}: no response from {} ({})", hints_.provider, request_name, response.error().message));
  }
  requests_.fetch_add(static_cast<uint64_t>(std::max(1, response->attempts)), std::memory_order_relaxed);
  core::log_debug("reversinglabs request", {{"provider", hints_.provider},
                                            {"request", request_name},
                                            {"status", response->status},
                                            {"attempts", response->attempts}});
  const long status = response->status;
  if (http::is_success(status) || status == http::kNotFound) {
    return std::move(response).value();
  }
  if (status == http::kTooManyRequests) quota_errors_.fetch_add(1, std::memory_order_relaxed);
  return failure_for_status(hints_, status, request_name, response->attempts);
}

core::Error ProviderChannel::bad_response(std::string_view request_name, std::string_view why) const {
  return core::make_error(fmt::format("{}: unreadable reply to {}: {}", hints_.provider, request_name, why));
}

intel::LookupResult ProviderChannel::lookup_in_batches(core::HashType type, const std::vector<std::string>& hashes,
                                                       size_t max_batch, const AskBatch& ask) {
  assert(max_batch > 0);
  hashes_.fetch_add(hashes.size(), std::memory_order_relaxed);
  const std::string looked_up_at = core::now_iso8601_utc();

  // Callers promise lower-case hashes of `type`; anything else would be text from an alert spliced into a URL,
  // so it is never sent and stays unknown.
  std::vector<std::string> sendable;
  sendable.reserve(hashes.size());
  for (const auto& hash : hashes) {
    assert(is_sendable_hash(type, hash) && "lookup() takes lower-case hashes of one type");
    if (is_sendable_hash(type, hash)) sendable.push_back(hash);
  }

  intel::LookupResult result;
  const std::span<const std::string> all(sendable);
  for (size_t first = 0; first < all.size(); first += max_batch) {
    auto failure = ask(all.subspan(first, std::min(max_batch, all.size() - first)), result.verdicts);
    if (failure) {
      failures_.fetch_add(1, std::memory_order_relaxed);
      result.verdicts.clear();
      result.failure = std::move(failure);
      return result;
    }
  }

  std::map<std::string, intel::Verdict> verdicts;
  for (const auto& hash : hashes) {
    auto found = result.verdicts.find(hash);
    intel::Verdict verdict = found != result.verdicts.end() ? found->second : intel::Verdict{};
    verdict.hash = hash;
    verdict.provider = std::string(hints_.provider);
    verdict.looked_up_at = looked_up_at;
    verdicts.insert_or_assign(hash, std::move(verdict));
  }
  result.verdicts = std::move(verdicts);
  return result;
}

intel::ProviderCounters ProviderChannel::counters() const {
  intel::ProviderCounters counters;
  counters.requests = requests_.load(std::memory_order_relaxed);
  counters.hashes = hashes_.load(std::memory_order_relaxed);
  counters.quota_errors = quota_errors_.load(std::memory_order_relaxed);
  counters.failures = failures_.load(std::memory_order_relaxed);
  return counters;
}

}  // namespace sb::rl
