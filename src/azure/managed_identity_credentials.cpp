// The identity header is a credential of its own (it guards against SSRF): sent, never logged.
#include "azure/managed_identity_credentials.hpp"

#include <chrono>

#include "azure/token_request.hpp"
#include "azure/token_response.hpp"
#include "core/backoff.hpp"
#include "core/form_encoding.hpp"

namespace sb::azure {
namespace {

// microsoft.md §5.3 recommends 5 retries with waits growing to about 30 s.
constexpr int kImdsRetries = 5;
constexpr std::chrono::milliseconds kImdsFirstWait{2000};
constexpr std::chrono::milliseconds kImdsMaxWait{30'000};

std::string with_query(std::string url, std::string_view resource, std::string_view api_version,
                       std::string_view client_id) {
  std::string query;
  core::append_form_field(query, "api-version", api_version);
  core::append_form_field(query, "resource", resource);
  if (!client_id.empty()) core::append_form_field(query, "client_id", client_id);
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + query;
}

std::string identity_name(std::string_view client_id) {
  return client_id.empty() ? "system-assigned managed identity"
                           : "user-assigned managed identity " + std::string(client_id);
}

}  // namespace

AppServiceManagedIdentity::AppServiceManagedIdentity(std::shared_ptr<http::HttpClient> http, std::string endpoint,
                                                     std::string identity_header, std::string client_id)
    : http_(std::move(http)),
      endpoint_(std::move(endpoint)),
      identity_header_(std::move(identity_header)),
      client_id_(std::move(client_id)) {}

std::string AppServiceManagedIdentity::describe() const {
  return identity_name(client_id_) + " (App Service endpoint " + endpoint_ + ")";
}

core::Result<AccessToken> AppServiceManagedIdentity::fetch(std::string_view scope) {
  http::Request request;
  request.url = with_query(endpoint_, resource_of_scope(scope), "2019-08-01", client_id_);
  request.headers.push_back({"X-IDENTITY-HEADER", identity_header_});
  return request_token(*http_, request, describe());
}

ImdsManagedIdentity::ImdsManagedIdentity(std::shared_ptr<http::HttpClient> http, std::string endpoint,
                                         std::string client_id, std::stop_token stop)
    : http_(std::move(http)),
      endpoint_(std::move(endpoint)),
      client_id_(std::move(client_id)),
      stop_(std::move(stop)) {}

std::string ImdsManagedIdentity::describe() const {
  return identity_name(client_id_) + " (instance metadata service " + endpoint_ + ")";
}

core::Result<AccessToken> ImdsManagedIdentity::fetch(std::string_view scope) {
  http::Request request;
  request.url =
      with_query(endpoint_ + "/metadata/identity/oauth2/token", resource_of_scope(scope), "2018-02-01", client_id_);
  request.headers.push_back({"Metadata", "true"});
  core::RetrySchedule retry(kImdsFirstWait, kImdsMaxWait, stop_);
  for (int attempt = 0;; ++attempt) {
    auto response = http_->send(request);
    // 404: "IMDS is updating"; 410: "available within 70 s".
    const bool not_ready = response && (response->status == http::kNotFound || response->status == http::kGone);
    if (!not_ready || attempt >= kImdsRetries) return token_from_response(response, describe());
    if (!retry.wait()) return core::make_error(describe() + ": stop requested while IMDS was not ready");
  }
}

}  // namespace sb::azure
