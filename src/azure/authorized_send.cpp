// One refresh per request, not a loop: a token refused twice means the identity or scope is wrong, not stale.
#include "azure/authorized_send.hpp"

namespace sb::azure {
core::Result<http::Response> send_authorized(http::HttpClient& http, TokenProvider& tokens, std::string_view scope,
                                             http::Request request) {
  request.headers.push_back({"Authorization", ""});
  for (int attempt = 0;; ++attempt) {
    auto token = tokens.token(scope);
    if (!token) return token.error();
    request.headers.back().value = "Bearer " + *token;
    auto response = http.send(request);
    if (!response || response->status != http::kUnauthorized || attempt > 0) return response;
    tokens.invalidate(scope, *token);
  }
}

}  // namespace sb::azure
