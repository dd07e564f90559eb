// Secret references (env:NAME, file:/path, keyvault:URL): parsed, resolved, and never printed.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

enum class SecretKind { kEnvironment, kFile };

struct SecretReference {
  SecretKind kind;
  std::string target;  // variable name or file path
};

//! Parses a configured secret reference: env:NAME or file:/path. Anything else is refused (secrets come only
//! from references, so the value never sits in a config file), without the text in the message.
//! keyvault: references are checked for shape and then refused until Key Vault support lands.
Result<SecretReference> parse_secret_reference(std::string_view text);

//! Reads the secret's value (trailing newline of a file trimmed).
Result<std::string> resolve_secret(std::string_view text);

}  // namespace sb::core
