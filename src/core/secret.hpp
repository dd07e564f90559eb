// Secret references (env:NAME, file:/path, keyvault:URL): parsed, resolved, and never printed.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

enum class SecretKind { kEnvironment, kFile, kKeyVault };

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
//! keyvault:https://VAULT.vault.azure.net/secrets/NAME[/VERSION] (any https host under a vault domain, e.g.
//! .vault.usgovcloudapi.net; http only for loopback, for tests). Anything else is refused (secrets come only from
//! references, so the value never sits in a config file), without the text in the message.
Result<SecretReference> parse_secret_reference(std::string_view text);

//! Reads the secret's value (trailing newline of a file trimmed). A keyvault: reference needs `remote`.
Result<std::string> resolve_secret(std::string_view text, RemoteSecretReader* remote = nullptr);

}  // namespace sb::core
