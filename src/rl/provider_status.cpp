// Status mapping per reversinglabs.md §1.2 (the SDK's RESPONSE_CODE_ERROR_MAP): 401/403 are permanent, 429 is
// quota, 5xx and transport failures heal with time. 404 is left to the caller because it means "unknown hash".
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
constexpr long kHttpOkFirst = 200;
constexpr long kHttpOkLast = 299;
constexpr long kHttpUnauthorized = 401;
constexpr long kHttpForbidden = 403;
constexpr long kHttpNotFound = 404;
constexpr long kHttpTooManyRequests = 429;
constexpr long kHttpServerErrorFirst = 500;
constexpr long kHttpServerErrorLast = 599;

std::string status_text(long status) {
  const auto reason = http_reason(status);
  return reason.empty() ? fmt::format("HTTP {}", status) : fmt::format("{} {}", status, reason);
}

}  // namespace

std::string_view http_reason(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

bool is_sendable_hash(core::HashType type, std::string_view hash) {
  return hash.size() == core::hex_length(type) &&
         std::all_of(hash.begin(), hash.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

intel::LookupFailure failure_for_status(const ProviderHints& hints, long status, std::string_view request_name,
                                        int attempts) {
  const auto head = fmt::format("{}: {} from {}", hints.provider, status_text(status), request_name);
  switch (status) {
    case kHttpUnauthorized:
      return {intel::LookupFailure::Kind::kCredentials, fmt::format("{} — {}", head, hints.credentials)};
    case kHttpForbidden:
      return {intel::LookupFailure::Kind::kPermission, fmt::format("{} — {}", head, hints.permission)};
    case kHttpTooManyRequests:
      return {
          intel::LookupFailure::Kind::kQuota,
          fmt::format("{} after {} attempt(s) — the quota or rate limit is spent; try again later", head, attempts)};
    default: break;
  }
  if (status >= kHttpServerErrorFirst && status <= kHttpServerErrorLast) {
    return {intel::LookupFailure::Kind::kTransient,
            fmt::format("{} after {} attempt(s) — the service is failing; try again later", head, attempts)};
  }
  return {intel::LookupFailure::Kind::kBadResponse, fmt::format("{} — the service refused the request", head)};
}

ProviderChannel::ProviderChannel(std::shared_ptr<http::HttpClient> http, double requests_per_second,
                                 ProviderHints hints)
    : http_(std::move(http)),
      bucket_(requests_per_second, std::max(1.0, requests_per_second * kBurstSeconds)),
      hints_(hints) {
  assert(http_ != nullptr);
}

std::variant<http::Response, intel::LookupFailure> ProviderChannel::send(const http::Request& request,
                                                                         std::string_view request_name) {
  if (!bucket_.acquire()) {
    return intel::LookupFailure{intel::LookupFailure::Kind::kTransient,
                                fmt::format("{}: stopped before sending {}", hints_.provider, request_name)};
  }
  auto response = http_->send(request);
  if (!response) {
    // The client does not say how many tries it made before giving up; one is the floor.
    requests_.fetch_add(1, std::memory_order_relaxed);
    return intel::LookupFailure{
        intel::LookupFailure::Kind::kTransient,
        fmt::format("{}: no response from {} ({})", hints_.provider, request_name, response.error().message)};
  }
  requests_.fetch_add(static_cast<uint64_t>(std::max(1, response->attempts)), std::memory_order_relaxed);
  core::log_debug("reversinglabs request", {{"provider", hints_.provider},
                                            {"request", request_name},
                                            {"status", response->status},
                                            {"attempts", response->attempts}});
  const long status = response->status;
  if ((status >= kHttpOkFirst && status <= kHttpOkLast) || status == kHttpNotFound) {
    return std::move(response).value();
  }
  if (status == kHttpTooManyRequests) quota_errors_.fetch_add(1, std::memory_order_relaxed);
  return failure_for_status(hints_, status, request_name, response->attempts);
}

intel::LookupFailure ProviderChannel::bad_response(std::string_view request_name, std::string_view why) const {
  return {intel::LookupFailure::Kind::kBadResponse,
          fmt::format("{}: unreadable reply to {}: {}", hints_.provider, request_name, why)};
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
