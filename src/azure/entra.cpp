// Credential choice is made once, at start-up, from configuration and environment; nothing is probed, so the
// choice is predictable and `doctor` can say which identity is in use.
#include "azure/entra.hpp"

#include "azure/app_credentials.hpp"
#include "azure/managed_identity_credentials.hpp"
#include "azure/token_cache.hpp"
#include "core/service_url.hpp"
#include "http/http_client.hpp"

namespace sb::azure {
namespace {

constexpr std::chrono::milliseconds kTokenTimeout{30'000};
// IMDS answers within milliseconds on a VM; off a VM the link-local address does not answer at all.
constexpr std::chrono::milliseconds kImdsConnectTimeout{2'000};

std::string variable(std::span<const std::string> environment, std::string_view name) {
  for (const auto& entry : environment) {
    if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=') {
      return entry.substr(name.size() + 1);
    }
  }
  return {};
}

core::Result<std::shared_ptr<http::HttpClient>> token_client(const EntraOptions& options, bool bypass_proxy,
                                                             std::chrono::milliseconds connect_timeout) {
  http::ClientOptions client;
  client.user_agent = options.user_agent;
  client.connect_timeout = connect_timeout;
  client.request_timeout = kTokenTimeout;
  client.bypass_proxy = bypass_proxy;
  client.stop = options.stop;
  auto made = http::make_curl_client(client);
  if (!made) return made.error();
  return std::shared_ptr<http::HttpClient>(std::move(made).value());
}

core::Result<AppIdentity> app_identity(const EntraOptions& options, std::string_view auth) {
  auto authority = core::parse_service_url(options.authority_host, "azure.authority_host");
  if (!authority) return authority.error();
  AppIdentity identity{authority->base, options.tenant_id, options.client_id};
  if (identity.tenant_id.empty()) identity.tenant_id = options.environment.tenant_id;
  if (identity.client_id.empty()) identity.client_id = options.environment.client_id;
  if (identity.tenant_id.empty() || identity.client_id.empty()) {
    return core::make_error("azure.auth = \"" + std::string(auth) +
                            "\" needs azure.tenant_id and azure.client_id (or AZURE_TENANT_ID and AZURE_CLIENT_ID)");
  }
  return identity;
}

core::Result<std::unique_ptr<TokenCredential>> client_secret(const EntraOptions& options) {
  if (options.client_secret.empty()) {
    return core::make_error("azure.auth = \"client_secret\" needs azure.client_secret (a secret reference)");
  }
  auto identity = app_identity(options, "client_secret");
  if (!identity) return identity.error();
  auto http = token_client(options, false, std::chrono::milliseconds(10'000));
  if (!http) return http.error();
  return std::unique_ptr<TokenCredential>(std::make_unique<ClientSecretCredential>(
      std::move(http).value(), std::move(identity).value(), options.client_secret));
}

core::Result<std::unique_ptr<TokenCredential>> workload_identity(const EntraOptions& options) {
  const auto& file = options.environment.federated_token_file;
  if (file.empty()) {
    return core::make_error(
        "azure.auth = \"workload_identity\" needs AZURE_FEDERATED_TOKEN_FILE (set by the AKS "
        "workload identity webhook)");
  }
  auto identity = app_identity(options, "workload_identity");
  if (!identity) return identity.error();
  auto http = token_client(options, false, std::chrono::milliseconds(10'000));
  if (!http) return http.error();
  return std::unique_ptr<TokenCredential>(
      std::make_unique<WorkloadIdentityCredential>(std::move(http).value(), std::move(identity).value(), file));
}

core::Result<std::unique_ptr<TokenCredential>> managed_identity(const EntraOptions& options) {
  const auto& env = options.environment;
  // For a managed identity client_id picks a user-assigned identity; AZURE_CLIENT_ID is the SDKs' fallback.
  const std::string client_id = options.client_id.empty() ? env.client_id : options.client_id;
  if (!env.identity_endpoint.empty()) {
    if (env.identity_header.empty()) return core::make_error("IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not");
    auto http = token_client(options, false, std::chrono::milliseconds(10'000));
    if (!http) return http.error();
    return std::unique_ptr<TokenCredential>(std::make_unique<AppServiceManagedIdentity>(
        std::move(http).value(), env.identity_endpoint, env.identity_header, client_id));
  }
  auto http = token_client(options, true, kImdsConnectTimeout);
  if (!http) return http.error();
  std::string endpoint =
      env.imds_endpoint.empty() ? std::string(ImdsManagedIdentity::kDefaultEndpoint) : env.imds_endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return std::unique_ptr<TokenCredential>(
      std::make_unique<ImdsManagedIdentity>(std::move(http).value(), std::move(endpoint), client_id, options.stop));
}

core::Result<std::unique_ptr<TokenCredential>> default_credential(const EntraOptions& options) {
  if (!options.client_secret.empty()) return client_secret(options);
  if (!options.environment.federated_token_file.empty()) return workload_identity(options);
  return managed_identity(options);
}

}  // namespace

EntraEnvironment EntraEnvironment::from(std::span<const std::string> environment) {
  EntraEnvironment env;
  env.identity_endpoint = variable(environment, "IDENTITY_ENDPOINT");
  env.identity_header = variable(environment, "IDENTITY_HEADER");
  env.federated_token_file = variable(environment, "AZURE_FEDERATED_TOKEN_FILE");
  env.tenant_id = variable(environment, "AZURE_TENANT_ID");
  env.client_id = variable(environment, "AZURE_CLIENT_ID");
  env.imds_endpoint = variable(environment, "AZURE_POD_IDENTITY_AUTHORITY_HOST");
  return env;
}

core::Result<std::unique_ptr<TokenProvider>> create_token_provider(const EntraOptions& options) {
  core::Result<std::unique_ptr<TokenCredential>> credential = core::make_error("");
  if (options.auth == "default") {
    credential = default_credential(options);
  } else if (options.auth == "client_secret") {
    credential = client_secret(options);
  } else if (options.auth == "workload_identity") {
    credential = workload_identity(options);
  } else if (options.auth == "managed_identity") {
    credential = managed_identity(options);
  } else {
    return core::make_error("unknown azure.auth \"" + options.auth +
                            "\" (default, client_secret, managed_identity, workload_identity)");
  }
  if (!credential) return credential.error();
  return std::unique_ptr<TokenProvider>(
      std::make_unique<CachingTokenProvider>(std::move(credential).value(), options.refresh_skew));
}

}  // namespace sb::azure
