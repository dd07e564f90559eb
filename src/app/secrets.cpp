// A keyvault: reference is read with the token provider of [azure] (on Azure, the managed identity by default).
#include "app/secrets.hpp"

#include <fmt/format.h>

#include "app/azure_setup.hpp"
#include "azure/key_vault_client.hpp"
#include "core/secret.hpp"

namespace sb::app {
namespace {

struct Resolved {
  std::string value;
  std::shared_ptr<azure::KeyVaultClient> vault;  // set for a keyvault: reference
  std::string url;
};

core::Result<Resolved> resolve(const core::Config& config, std::string_view key) {
  const auto& reference = config.get_string(key);
  if (reference.empty()) {
    return core::make_error(fmt::format("{} is not set (use env:NAME, file:/path or keyvault:URL)", key));
  }
  auto parsed = core::parse_secret_reference(reference);
  if (!parsed) return parsed.error().with_context(key);
  Resolved resolved;
  if (parsed->kind == core::SecretKind::kKeyVault) {
    auto tokens = build_token_provider(config);
    if (!tokens) return tokens.error().with_context(key);
    auto http = azure_http_client();
    if (!http) return http.error();
    resolved.vault = std::make_shared<azure::KeyVaultClient>(std::move(tokens).value(), std::move(http).value());
    resolved.url = parsed->target;
  }
  auto value = core::resolve_secret(reference, resolved.vault.get());
  if (!value) return value.error().with_context(key);
  if (value->empty()) return core::make_error(fmt::format("{}: the secret it names is empty", key));
  resolved.value = std::move(value).value();
  return resolved;
}

}  // namespace

core::Result<std::string> required_secret(const core::Config& config, std::string_view key) {
  auto resolved = resolve(config, key);
  if (!resolved) return resolved.error();
  return std::move(resolved->value);
}

core::Result<core::SecretValue> required_secret_value(const core::Config& config, std::string_view key) {
  auto resolved = resolve(config, key);
  if (!resolved) return resolved.error();
  const auto interval = std::chrono::seconds(config.get_int("azure.key_vault_refresh_seconds"));
  if (!resolved->vault || interval.count() == 0) return core::SecretValue(std::move(resolved->value));
  auto vault = resolved->vault;
  auto url = resolved->url;
  return core::SecretValue::refreshing(
      std::move(resolved->value), [vault, url] { return vault->read(url); }, interval, std::string(key));
}

}  // namespace sb::app
