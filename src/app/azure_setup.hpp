// The Entra ID token provider of [azure], built once per process and shared by every Azure client.
#pragma once

#include <memory>

#include "azure/access_token.hpp"
#include "core/config.hpp"
#include "core/result.hpp"

namespace sb::app {

//! The credential [azure] describes (with the process environment), behind the token cache.
core::Result<std::shared_ptr<azure::TokenProvider>> build_token_provider(const core::Config& config);

}  // namespace sb::app
