// Sending a request to an Azure resource with a bearer token: the one place that gets the token, sets the header,
// and on a 401 replaces the token and sends once more.
#pragma once

#include <string_view>

#include "azure/access_token.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

//! Sends `request` with "Authorization: Bearer <token for scope>". A 401 invalidates that token and the request is
//! sent once more with a new one; the response to that try comes back whatever it is (a second 401 included, for
//! the caller to explain). Errors: the token could not be had (kRefusedForGood when the credential was refused), or no
//! response arrived.
core::Result<http::Response> send_authorized(http::HttpClient& http, TokenProvider& tokens, std::string_view scope,
                                             http::Request request);

}  // namespace sb::azure
