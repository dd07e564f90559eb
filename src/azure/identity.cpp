// [azure] → EntraOptions → one cached token provider. The client secret is resolved here and handed to the
// credential only; a keyvault: reference is read with that same identity (the vault needs a token).
#include "azure/identity.hpp"

#include <fmt/format.h>

#include "azure/entra.hpp"
#include "azure/key_vault_client.hpp"
#include "core/secret.hpp"

namespace sb::azure {
namespace {

constexpr int64_t kDay = 86'400;
constexpr auto kAzureRetryAfterCap = std::chrono::minutes(5);

core::Settings<AzureSettings> make_settings() {
  core::Settings<AzureSettings> settings;
  settings.text("auth", &AzureSettings::auth, "default",
                "How to get Entra ID tokens: default takes the first available of a client secret, workload identity "
                "(AZURE_FEDERATED_TOKEN_FILE), the App Service managed identity (IDENTITY_ENDPOINT) and the VM managed "
                "identity (IMDS).",
                {"default", "client_secret", "managed_identity", "workload_identity"});
  settings.text("tenant_id", &AzureSettings::tenant_id, "", "Directory (tenant) id; empty reads AZURE_TENANT_ID.");
  settings.text("client_id", &AzureSettings::client_id, "",
                "Application (client) id, or the client id of a user-assigned managed identity; empty reads "
                "AZURE_CLIENT_ID (managed identity: empty means system-assigned).");
  settings.secret("client_secret", &AzureSettings::client_secret,
                  "Client secret of the app registration: a secret reference (env:NAME, file:/path; not keyvault:, "
                  "which needs this credential).");
  settings.url(
      "authority_host", &AzureSettings::authority_host, kDefaultAuthorityHost,
      "Entra ID authority; sovereign clouds: https://login.microsoftonline.us, https://login.chinacloudapi.cn.");
  settings.duration("key_vault_refresh_seconds", &AzureSettings::key_vault_refresh, 3600,
                    "How often a keyvault: secret is read again, so a rotated secret is used without a restart; 0 "
                    "reads it once at start-up.",
                    0, 7 * kDay);
  settings.duration("token_refresh_skew_seconds", &AzureSettings::token_refresh_skew, 300,
                    "A token is replaced this long before it expires (half its life for shorter tokens).", 0, 3600);
  return settings;
}

}  // namespace

const core::Settings<AzureSettings>& azure_settings() {
  static const core::Settings<AzureSettings> settings = make_settings();
  return settings;
}

struct Identity::Resolved {
  std::string value;
  std::shared_ptr<KeyVaultClient> vault;  // set for a keyvault: reference
  std::string url;
};

Identity::Identity(AzureSettings settings, std::vector<std::string> environment, std::stop_token stop)
    : settings_(std::move(settings)), environment_(std::move(environment)), stop_(std::move(stop)) {}

core::Result<std::shared_ptr<http::HttpClient>> Identity::http() {
  const std::lock_guard lock(mutex_);
  if (http_) return http_;
  http::ClientOptions options;
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.retry.max_retry_after = kAzureRetryAfterCap;
  options.stop = stop_;
  auto http = http::make_curl_client(options);
  if (!http) return http.error();
  http_ = std::move(http).value();
  return http_;
}

core::Result<std::shared_ptr<TokenProvider>> Identity::tokens() {
  const std::lock_guard lock(mutex_);
  if (tokens_) return tokens_;
  EntraOptions options;
  options.auth = settings_.auth;
  options.tenant_id = settings_.tenant_id;
  options.client_id = settings_.client_id;
  options.authority_host = settings_.authority_host;
  options.refresh_skew = settings_.token_refresh_skew;
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.stop = stop_;
  if (const auto& reference = settings_.client_secret; !reference.empty()) {
    auto parsed = core::parse_secret_reference(reference);
    if (parsed && parsed->kind == core::SecretKind::kKeyVault) {
      return core::make_error("azure.client_secret cannot be a keyvault: reference: reading the vault needs it");
    }
    auto secret = core::resolve_secret(reference);
    if (!secret) return core::make_error(fmt::format("azure.client_secret: {}", secret.error().message));
    if (secret->empty()) return core::make_error("azure.client_secret: the secret it names is empty");
    options.client_secret = std::move(secret).value();
  }
  options.environment = EntraEnvironment::from(environment_);
  auto provider = create_token_provider(options);
  if (!provider) return provider.error();
  tokens_ = std::move(provider).value();
  return tokens_;
}

core::Result<Identity::Resolved> Identity::resolve(std::string_view key, std::string_view reference) {
  if (reference.empty()) {
    return core::make_error(fmt::format("{} is not set (use env:NAME, file:/path or keyvault:URL)", key));
  }
  auto parsed = core::parse_secret_reference(reference);
  if (!parsed) return parsed.error().with_context(key);
  Resolved resolved;
  if (parsed->kind == core::SecretKind::kKeyVault) {
    auto tokens = this->tokens();
    if (!tokens) return tokens.error().with_context(key);
    auto http = this->http();
    if (!http) return http.error();
    resolved.vault = std::make_shared<KeyVaultClient>(std::move(tokens).value(), std::move(http).value());
    resolved.url = parsed->target;
  }
  auto value = core::resolve_secret(reference, resolved.vault.get());
  if (!value) return value.error().with_context(key);
  if (value->empty()) return core::make_error(fmt::format("{}: the secret it names is empty", key));
  resolved.value = std::move(value).value();
  return resolved;
}

core::Result<std::string> Identity::secret(std::string_view key, std::string_view reference) {
  auto resolved = resolve(key, reference);
  if (!resolved) return resolved.error();
  return std::move(resolved->value);
}

core::Result<core::SecretValue> Identity::refreshing_secret(std::string_view key, std::string_view reference) {
  auto resolved = resolve(key, reference);
  if (!resolved) return resolved.error();
  const auto interval = settings_.key_vault_refresh;
  if (!resolved->vault || interval.count() == 0) return core::SecretValue(std::move(resolved->value));
  auto vault = resolved->vault;
  auto url = resolved->url;
  return core::SecretValue::refreshing(
      std::move(resolved->value), [vault, url] { return vault->read(url); }, interval, std::string(key));
}

bool Identity::check_token(std::string_view scope, core::DoctorReport& report) {
  if (!report.first_time(fmt::format("token {}", scope))) return true;
  auto provider = tokens();
  if (!provider) {
    if (report.first_time("entra id")) report.fail("entra id", provider.error().message);
    return false;
  }
  auto token = (*provider)->token(scope);
  if (!token) {
    report.fail("token", fmt::format("{}: {}", scope, token.error().message));
    return false;
  }
  report.ok("token", fmt::format("{} ({})", scope, (*provider)->describe()));
  return true;
}

void Identity::check_secret(std::string_view key, std::string_view reference, core::DoctorReport& report) {
  auto parsed = core::parse_secret_reference(reference);
  if (!parsed || parsed->kind != core::SecretKind::kKeyVault) return;
  if (!check_token(key_vault_scope(parsed->target), report)) return;
  if (auto value = secret(key, reference); value) {
    report.ok("key vault", fmt::format("{} ({})", key, parsed->target));
  } else {
    report.fail("key vault", value.error().message);
  }
}

}  // namespace sb::azure
