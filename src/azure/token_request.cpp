// Transient failures (connection errors, 408/429/5xx) were already retried by the HTTP client; what reaches
// here is final for this attempt.
#include "azure/token_request.hpp"

#include "azure/token_response.hpp"

namespace sb::azure {

core::Result<AccessToken> token_from_response(const core::Result<http::Response>& response, std::string_view who) {
  if (!response) return core::make_error(std::string(who) + ": no token: " + response.error().message);
  if (http::is_success(response->status)) {
    auto token = parse_token_response(response->body, std::chrono::system_clock::now());
    if (!token) return core::make_error(std::string(who) + ": " + token.error().message);
    return token;
  }
  std::string message =
      std::string(who) + ": token request refused: " + describe_token_error(response->status, response->body);
  // A refused credential or configuration: retrying will not help.
  if (http::is_refusal_status(response->status)) {
    return core::make_error(std::move(message), core::ErrorKind::kRefusedForGood);
  }
  return core::make_error(std::move(message));
}

core::Result<AccessToken> request_token(http::HttpClient& http, const http::Request& request, std::string_view who) {
  return token_from_response(http.send(request), who);
}

}  // namespace sb::azure
