// Secret references (env:NAME, file:/path, keyvault:URL): parsed, resolved, and never printed.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

enum class SecretKind { kEnvironment, kFile, kKeyVault };

//! Key Vault's DNS domains: public, China, US Government, Germany. A vault's token audience is https://<domain>.
inline constexpr std::string_view kKeyVaultDomains[] = {"vault.azure.net", "vault.azure.cn", "vault.usgovcloudapi.net",
                                                        "vault.microsoftazure.de"};

//! The domain of kKeyVaultDomains that `host` is a vault under ("myvault.vault.azure.net" → "vault.azure.net"),
//! or "" when none.
std::string_view key_vault_domain(std::string_view host);

struct SecretReference {
  SecretKind kind;
  std::string target;  // variable name, file path, or the secret's URL (https://VAULT.vault.azure.net/secrets/…)
};

//! Reads a secret held by a remote store (Key Vault): implemented above core, where HTTP and tokens are.
class RemoteSecretReader {
 public:
  virtual ~RemoteSecretReader() = default;
  virtual Result<std::string> read(const std::string& url) = 0;
};

//! Parses a configured secret reference: env:NAME, file:/path or
//! keyvault:https://VAULT.vault.azure.net/secrets/NAME[/VERSION] (the host under one of kKeyVaultDomains; http
//! only for loopback, for tests). Anything else is refused (secrets come only from references, so the value never
//! sits in a config file), without the text in the message.
Result<SecretReference> parse_secret_reference(std::string_view text);

//! Reads the secret's value (trailing newline of a file trimmed). A keyvault: reference needs `remote`.
Result<std::string> resolve_secret(std::string_view text, RemoteSecretReader* remote = nullptr);

}  // namespace sb::core
