// Sends one token request and reads the reply the same way for every credential kind.
#pragma once

#include <string_view>

#include "azure/access_token.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

//! The token of a 200 reply to a token request. Errors start with `who` ("client secret of app …"); a refusal
//! (4xx but 408/429) is a kRefusedForGood error.
core::Result<AccessToken> token_from_response(const core::Result<http::Response>& response, std::string_view who);

//! Sends `request` (its body may hold a secret: it is never logged) and reads the reply with token_from_response.
core::Result<AccessToken> request_token(http::HttpClient& http, const http::Request& request, std::string_view who);

}  // namespace sb::azure
