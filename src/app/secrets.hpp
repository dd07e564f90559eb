// Resolves secret keys of the configuration, including keyvault: references through the [azure] identity.
#pragma once

#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/result.hpp"
#include "core/secret_value.hpp"

namespace sb::app {

//! The value of the secret key `key` (env:, file: or keyvault: reference), read now. Errors name the key, never
//! the value.
core::Result<std::string> required_secret(const core::Config& config, std::string_view key);

//! The same, for a client that sends it on every request: a keyvault: value is read now and again every
//! azure.key_vault_refresh_seconds, so a secret rotated in the vault is used without a restart.
core::Result<core::SecretValue> required_secret_value(const core::Config& config, std::string_view key);

}  // namespace sb::app
