// [azure] → EntraOptions. The client secret is resolved here and handed to the credential only.
#include "app/azure_setup.hpp"

#include <map>
#include <mutex>

#include <fmt/format.h>

#include "app/app_context.hpp"
#include "azure/entra.hpp"
#include "core/secret.hpp"

namespace sb::app {

core::Result<std::shared_ptr<http::HttpClient>> azure_http_client() {
  http::ClientOptions options;
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.retry.max_retry_after = std::chrono::minutes(5);
  options.stop = command_stop();
  auto http = http::make_curl_client(options);
  if (!http) return http.error();
  return std::shared_ptr<http::HttpClient>(std::move(http).value());
}

core::Result<std::shared_ptr<azure::TokenProvider>> build_token_provider(const core::Config& config) {
  // One provider per distinct [azure] set-up in the process, so ingest, scan and Key Vault share one token cache
  // (one fetch per scope, one refresh after a burst of 401s).
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<azure::TokenProvider>> providers;
  const std::string key =
      fmt::format("{}|{}|{}|{}|{}|{}", config.get_string("azure.auth"), config.get_string("azure.tenant_id"),
                  config.get_string("azure.client_id"), config.get_string("azure.client_secret"),
                  config.get_string("azure.authority_host"), config.get_int("azure.token_refresh_skew_seconds"));
  const std::lock_guard lock(mutex);
  if (auto shared = providers[key].lock()) return shared;
  azure::EntraOptions options;
  options.auth = config.get_string("azure.auth");
  options.tenant_id = config.get_string("azure.tenant_id");
  options.client_id = config.get_string("azure.client_id");
  options.authority_host = config.get_string("azure.authority_host");
  options.refresh_skew = std::chrono::seconds(config.get_int("azure.token_refresh_skew_seconds"));
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.stop = command_stop();
  if (const auto& reference = config.get_string("azure.client_secret"); !reference.empty()) {
    auto parsed = core::parse_secret_reference(reference);
    if (parsed && parsed->kind == core::SecretKind::kKeyVault) {
      return core::make_error("azure.client_secret cannot be a keyvault: reference: reading the vault needs it");
    }
    auto secret = core::resolve_secret(reference);
    if (!secret) return core::make_error(fmt::format("azure.client_secret: {}", secret.error().message));
    if (secret->empty()) return core::make_error("azure.client_secret: the secret it names is empty");
    options.client_secret = std::move(secret).value();
  }
  const auto environment = process_environment();
  options.environment = azure::EntraEnvironment::from(environment);
  auto provider = azure::create_token_provider(options);
  if (!provider) return provider.error();
  std::shared_ptr<azure::TokenProvider> shared(std::move(provider).value());
  providers[key] = shared;
  return shared;
}

}  // namespace sb::app
