// The [azure] section: how this process proves who it is to Entra ID, the token provider and HTTP client every
// Azure client of the process shares, and the values behind secret references (env:, file:, keyvault:).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "azure/access_token.hpp"
#include "core/doctor_report.hpp"
#include "core/result.hpp"
#include "core/secret_value.hpp"
#include "core/settings.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

struct AzureSettings {
  std::string auth;
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;  // a secret reference
  std::string authority_host;
  std::chrono::seconds key_vault_refresh{3600};
  std::chrono::seconds token_refresh_skew{300};
};

//! The keys of [azure].
const core::Settings<AzureSettings>& azure_settings();

//! One per process: built from [azure] and the environment, it hands out one token cache for every scope, so ingest,
//! scan and Key Vault share a token and a burst of 401s causes one refresh. Thread-safe.
class Identity {
 public:
  Identity(AzureSettings settings, std::vector<std::string> environment, std::stop_token stop);

  //! The credential [azure] describes, behind the token cache; built on first use, then shared.
  core::Result<std::shared_ptr<TokenProvider>> tokens();

  //! The HTTP client of Azure resource clients: throttling answers carry Retry-After, and waiting that out (up to five
  //! minutes, which covers the per-minute limits) inside the client keeps a batch's requests in order.
  core::Result<std::shared_ptr<http::HttpClient>> http();

  std::stop_token stop() const { return stop_; }

  //! The value of secret key `key`, which holds `reference` (env:, file: or keyvault:), read now. Errors name the
  //! key, never the value; an empty reference is "not set".
  core::Result<std::string> secret(std::string_view key, std::string_view reference);

  //! The same, for a client that sends it on every request: a keyvault: value is read again every
  //! key_vault_refresh_seconds, so a secret rotated in the vault is used without a restart.
  core::Result<core::SecretValue> refreshing_secret(std::string_view key, std::string_view reference);

  //! doctor: one "token" line per scope (however many components use it), naming the identity.
  bool check_token(std::string_view scope, core::DoctorReport& report);
  //! doctor: a "key vault" line when `reference` is a keyvault: reference.
  void check_secret(std::string_view key, std::string_view reference, core::DoctorReport& report);

 private:
  struct Resolved;
  core::Result<Resolved> resolve(std::string_view key, std::string_view reference);

  AzureSettings settings_;
  std::vector<std::string> environment_;
  std::stop_token stop_;
  std::mutex mutex_;  // guards the two below, built on first use
  std::shared_ptr<TokenProvider> tokens_;
  std::shared_ptr<http::HttpClient> http_;
};

}  // namespace sb::azure
