// The three token reply shapes (microsoft.md §5): client credentials give expires_in as a number, App Service
// gives expires_on as a string, IMDS gives both as strings. Errors are Entra's {error, error_description}.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "azure/access_token.hpp"
#include "core/result.hpp"

namespace sb::azure {

//! The token of a 200 reply, expiring at `now` + expires_in, or at expires_on when that is all the reply gives.
core::Result<AccessToken> parse_token_response(const std::string& body, std::chrono::system_clock::time_point now);

//! A one-line description of a failed token reply: "HTTP 401 invalid_client: AADSTS7000215: Invalid client
//! secret provided…" (the first line of error_description; trace and correlation ids kept for support).
std::string describe_token_error(long status, const std::string& body);

//! The v1 resource of a v2 scope: "https://monitor.azure.com/.default" → "https://monitor.azure.com"
//! (managed-identity endpoints take a resource, not a scope).
std::string resource_of_scope(std::string_view scope);

}  // namespace sb::azure
