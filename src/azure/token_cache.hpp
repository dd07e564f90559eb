// Cached tokens per scope in front of one credential: refreshed ahead of expiry, one fetch at a time per scope.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "azure/access_token.hpp"

namespace sb::azure {

class CachingTokenProvider final : public TokenProvider {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  //! A cached token is refreshed once less than `refresh_skew` of its life remains (or half its life, for
  //! tokens shorter than twice the skew). `clock` is for tests.
  CachingTokenProvider(std::unique_ptr<TokenCredential> credential, std::chrono::seconds refresh_skew,
                       Clock clock = std::chrono::system_clock::now);

  std::string describe() const override { return credential_->describe(); }
  core::Result<AccessToken> access_token(std::string_view scope) override;
  void invalidate(std::string_view scope, std::string_view rejected) override;

  //! Tokens fetched so far (tests and doctor).
  uint64_t fetches() const;

 private:
  struct Entry {
    AccessToken token;
    std::chrono::system_clock::time_point refresh_at;
    bool refreshing = false;
    uint64_t generation = 0;             // fetches finished for this scope
    std::optional<core::Error> failure;  // of the last fetch, for the callers that waited for it
  };

  std::unique_ptr<TokenCredential> credential_;
  std::chrono::seconds refresh_skew_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::condition_variable refreshed_;
  std::map<std::string, Entry, std::less<>> entries_;
  uint64_t fetches_ = 0;
};

}  // namespace sb::azure
