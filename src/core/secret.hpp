// Secret references (env:NAME, file:/path, keyvault:URL): parsed, resolved, and never printed.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

enum class SecretKind { kLiteral, kEnvironment, kFile, kKeyVault };

struct SecretReference {
  SecretKind kind;
  std::string target;  // variable name, file path or vault URL; empty for literals
};

//! Parses a configured secret. Text that is no reference parses as a literal, which configuration refuses
//! (secrets come only from references). keyvault: references are checked for shape and then rejected until Key
//! Vault support lands.
Result<SecretReference> parse_secret_reference(std::string_view text);

//! Reads the secret's value (trailing newline of a file trimmed).
Result<std::string> resolve_secret(std::string_view text);

//! What `config check` prints: the reference itself ("env:NAME") or "<redacted>" for a literal.
std::string redacted_secret(std::string_view text);

}  // namespace sb::core
