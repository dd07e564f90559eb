// Entra ID access tokens: the credential interface (one identity asking for a token) and the provider
// interface resource clients use (cached tokens per scope).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace sb::azure {

struct AccessToken {
  std::string value;  // the bearer token; never logged
  std::chrono::system_clock::time_point expires_on;
};

//! One identity that can obtain tokens from Entra ID or a managed-identity endpoint, uncached.
class TokenCredential {
 public:
  virtual ~TokenCredential() = default;
  //! Which identity this is, for logs and errors ("client secret of app … in tenant …"); never a secret.
  virtual std::string describe() const = 0;
  //! A fresh token for `scope` ("https://monitor.azure.com/.default"). A refused credential is a kRefusedForGood error.
  virtual core::Result<AccessToken> fetch(std::string_view scope) = 0;
};

//! What resource clients ask: a valid bearer token for a scope. Thread-safe.
class TokenProvider {
 public:
  virtual ~TokenProvider() = default;
  virtual std::string describe() const = 0;
  //! The bearer token for `scope` and when it expires, fetched only when none is cached or the cached one is near
  //! expiry (a client that schedules its own refreshes, such as librdkafka's OAUTHBEARER, needs the expiry).
  virtual core::Result<AccessToken> access_token(std::string_view scope) = 0;
  //! The bearer token alone.
  core::Result<std::string> token(std::string_view scope) {
    auto token = access_token(scope);
    if (!token) return token.error();
    return std::move(token->value);
  }
  //! A resource answered 401 to `rejected`: the next token(scope) fetches a new one. A no-op when another caller
  //! already replaced it, so a burst of 401s causes one refresh.
  virtual void invalidate(std::string_view scope, std::string_view rejected) = 0;
};

}  // namespace sb::azure
