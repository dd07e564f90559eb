// The Entra ID token provider of [azure], built once per process and shared by every Azure client.
#pragma once

#include <memory>

#include "azure/access_token.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "http/http_client.hpp"

namespace sb::app {

//! The HTTP client of the Azure resource clients: throttling answers carry Retry-After, and waiting that out (up
//! to five minutes, which covers the per-minute limits) inside the client keeps a batch's requests in order.
core::Result<std::shared_ptr<http::HttpClient>> azure_http_client();

//! The credential [azure] describes (with the process environment), behind the token cache; every caller with the
//! same [azure] settings gets the same provider while one is alive.
core::Result<std::shared_ptr<azure::TokenProvider>> build_token_provider(const core::Config& config);

}  // namespace sb::app
