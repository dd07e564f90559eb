// Single flight: while one caller fetches a scope's token, the others use the still-valid cached token or, when
// there is none, wait for the fetch instead of sending their own. A failed refresh keeps a token that has not
// expired yet, so a short Entra outage does not stop delivery.
#include "azure/token_cache.hpp"

#include <algorithm>
#include <exception>

#include "core/log.hpp"

namespace sb::azure {
namespace {

//! A token this close to expiry is not handed out: it could expire in flight.
constexpr std::chrono::seconds kMinRemaining{30};
//! After a failed refresh, the next try waits this long (or half the remaining life, if shorter).
constexpr std::chrono::seconds kRetryAfterFailure{30};

}  // namespace

CachingTokenProvider::CachingTokenProvider(std::unique_ptr<TokenCredential> credential,
                                           std::chrono::seconds refresh_skew, Clock clock)
    : credential_(std::move(credential)), refresh_skew_(refresh_skew), clock_(std::move(clock)) {}

core::Result<AccessToken> CachingTokenProvider::access_token(std::string_view scope) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(scope);
  if (it == entries_.end()) it = entries_.emplace(std::string(scope), Entry{}).first;
  Entry& entry = it->second;
  while (true) {
    const auto now = clock_();
    const bool usable = !entry.token.value.empty() && now + kMinRemaining < entry.token.expires_on;
    if (usable && (now < entry.refresh_at || entry.refreshing)) return entry.token;
    if (!entry.refreshing) break;
    // Someone else is fetching and there is no token to use meanwhile: share that fetch's outcome.
    const uint64_t awaited = entry.generation + 1;
    refreshed_.wait(lock, [&] { return entry.generation >= awaited; });
    if (entry.failure) return *entry.failure;
  }

  entry.refreshing = true;
  lock.unlock();
  core::Result<AccessToken> fetched = core::make_error("token fetch did not finish");
  try {
    fetched = credential_->fetch(scope);
  } catch (const std::exception& e) {  // out of memory: release the waiters rather than leave them blocked
    fetched = core::make_error(std::string("token fetch failed: ") + e.what());
  }
  lock.lock();
  entry.refreshing = false;
  ++entry.generation;
  ++fetches_;
  entry.failure = fetched ? std::nullopt : std::optional<core::Error>(fetched.error());
  refreshed_.notify_all();

  const auto now = clock_();
  if (!fetched) {
    if (!entry.token.value.empty() && now + kMinRemaining < entry.token.expires_on) {
      // Try again later, not on every call: an outage would otherwise make each request wait for a fetch.
      entry.refresh_at =
          now + std::min<std::chrono::system_clock::duration>(kRetryAfterFailure, (entry.token.expires_on - now) / 2);
      core::log_warn("token refresh failed; the cached token is still valid and stays in use",
                     {{"scope", scope}, {"reason", fetched.error().message}});
      return entry.token;
    }
    return fetched.error();
  }
  const auto lifetime = fetched->expires_on - now;
  const auto lead = std::min<std::chrono::system_clock::duration>(refresh_skew_, lifetime / 2);
  entry.token = std::move(fetched).value();
  entry.refresh_at = entry.token.expires_on - lead;
  core::log_debug("token acquired",
                  {{"scope", scope},
                   {"identity", credential_->describe()},
                   {"valid_seconds", std::chrono::duration_cast<std::chrono::seconds>(lifetime).count()}});
  return entry.token;
}

void CachingTokenProvider::invalidate(std::string_view scope, std::string_view rejected) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(scope);
  if (it == entries_.end() || it->second.token.value != rejected) return;
  it->second.token = {};
  it->second.refresh_at = {};
}

uint64_t CachingTokenProvider::fetches() const {
  const std::lock_guard lock(mutex_);
  return fetches_;
}

}  // namespace sb::azure
