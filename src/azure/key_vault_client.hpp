// Azure Key Vault secrets: GET {vault}/secrets/{name}[/{version}]?api-version=7.4 with a token for
// https://vault.azure.net, so configured secrets can be keyvault: references.
#pragma once

#include <memory>
#include <string>

#include "azure/access_token.hpp"
#include "core/secret.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

inline constexpr std::string_view kKeyVaultScope = "https://vault.azure.net/.default";

//! The token scope for the vault at `url`: https://<its Key Vault domain>/.default (vault.azure.net,
//! vault.azure.cn, vault.usgovcloudapi.net, …); kKeyVaultScope for a loopback test vault.
std::string key_vault_scope(std::string_view url);
inline constexpr std::string_view kKeyVaultApiVersion = "7.4";

class KeyVaultClient final : public core::RemoteSecretReader {
 public:
  KeyVaultClient(std::shared_ptr<TokenProvider> tokens, std::shared_ptr<http::HttpClient> http);

  //! The value of the secret at `url` (a keyvault: reference without its prefix). 403 and 404 are kRefusedForGood
  //! errors that say what to fix; the value never appears in an error or a log line.
  core::Result<std::string> read(const std::string& url) override;

 private:
  std::shared_ptr<TokenProvider> tokens_;
  std::shared_ptr<http::HttpClient> http_;
};

}  // namespace sb::azure
