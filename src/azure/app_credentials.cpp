// The client secret and the federated token travel only in the form body, which the HTTP client never logs.
#include "azure/app_credentials.hpp"

#include "azure/token_request.hpp"
#include "core/files.hpp"
#include "core/form_encoding.hpp"

namespace sb::azure {
namespace {

constexpr std::string_view kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// A projected service-account token is a JWT of a few KB.
constexpr size_t kMaxFederatedTokenBytes = 64 * 1024;

http::Request token_form_request(const AppIdentity& identity, std::string body) {
  http::Request request;
  request.method = "POST";
  request.url = identity.authority_host + "/";
  core::append_percent_encoded(request.url, identity.tenant_id);
  request.url += "/oauth2/v2.0/token";
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  request.body = std::move(body);
  return request;
}

std::string form_start(const AppIdentity& identity, std::string_view scope) {
  std::string body;
  core::append_form_field(body, "client_id", identity.client_id);
  core::append_form_field(body, "scope", scope);
  core::append_form_field(body, "grant_type", "client_credentials");
  return body;
}

}  // namespace

ClientSecretCredential::ClientSecretCredential(std::shared_ptr<http::HttpClient> http, AppIdentity identity,
                                               std::string secret)
    : http_(std::move(http)), identity_(std::move(identity)), secret_(std::move(secret)) {}

std::string ClientSecretCredential::describe() const {
  return "client secret of app " + identity_.client_id + " in tenant " + identity_.tenant_id;
}

core::Result<AccessToken> ClientSecretCredential::fetch(std::string_view scope) {
  std::string body = form_start(identity_, scope);
  core::append_form_field(body, "client_secret", secret_);
  return request_token(*http_, token_form_request(identity_, std::move(body)), describe());
}

WorkloadIdentityCredential::WorkloadIdentityCredential(std::shared_ptr<http::HttpClient> http, AppIdentity identity,
                                                       std::filesystem::path token_file)
    : http_(std::move(http)), identity_(std::move(identity)), token_file_(std::move(token_file)) {}

std::string WorkloadIdentityCredential::describe() const {
  return "workload identity of app " + identity_.client_id + " in tenant " + identity_.tenant_id +
         " (federated token " + token_file_.string() + ")";
}

core::Result<AccessToken> WorkloadIdentityCredential::fetch(std::string_view scope) {
  auto assertion = core::read_file_bounded(token_file_, kMaxFederatedTokenBytes);
  if (!assertion)
    return core::make_error(describe() + ": cannot read the federated token: " + assertion.error().message);
  while (!assertion->empty() && (assertion->back() == '\n' || assertion->back() == '\r')) assertion->pop_back();
  if (assertion->empty()) return core::make_error(describe() + ": the federated token file is empty");
  std::string body = form_start(identity_, scope);
  core::append_form_field(body, "client_assertion_type", kAssertionType);
  core::append_form_field(body, "client_assertion", *assertion);
  return request_token(*http_, token_form_request(identity_, std::move(body)), describe());
}

}  // namespace sb::azure
