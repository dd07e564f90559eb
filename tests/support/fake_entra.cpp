// The fake Entra ID token services: client credentials, App Service and IMDS managed identity, scripted faults.
#include "support/fake_entra.hpp"

#include <httplib.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <optional>
#include <utility>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "support/fake_http.hpp"
#include "support/fake_reversinglabs.hpp"  // parse_form

namespace sb::test {
namespace {

constexpr std::string_view kDefaultSuffix = "/.default";
constexpr std::string_view kFormType = "application/x-www-form-urlencoded";
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kHttpOk = 200;
constexpr int kHttpBadRequest = 400;
constexpr int kHttpUnauthorized = 401;

// AADSTS codes (microsoft.md §5.1 documents the error shape; the codes and texts are modelled on Entra's).
constexpr int kAadMissingParameter = 900144;
constexpr int kAadUnsupportedGrant = 70003;
constexpr int kAadTenantNotFound = 90002;
constexpr int kAadAppNotFound = 700016;
constexpr int kAadBadSecret = 7000215;
constexpr int kAadNoCredential = 7000218;
constexpr int kAadCredentialConflict = 7000216;
constexpr int kAadNoFederatedMatch = 700213;
constexpr int kAadInvalidScope = 70011;

//! The first value of `key` in decoded form fields, or nullopt when absent.
std::optional<std::string> field(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view key) {
  for (const auto& [name, value] : fields) {
    if (name == key) return value;
  }
  return std::nullopt;
}

//! Decodes standard base64 (with or without padding); nullopt on any other byte.
std::optional<std::string> base64_decode(std::string_view text) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    const auto index = kAlphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(index);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

std::string epoch_seconds(std::chrono::system_clock::time_point when) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count());
}

//! Entra's error timestamp format, "2019-10-29 23:57:33Z".
std::string entra_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  const size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%SZ", &utc);
  return std::string(text.data(), length);
}

std::string reason_of(int status) {
  switch (status) {
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Scripted failure";
  }
}

}  // namespace

std::string random_guid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const uint64_t high = random();
  const uint64_t low = random();
  // Version 4, variant 10xx.
  const uint64_t time_hi = (high & 0x0fffULL) | 0x4000ULL;
  const uint64_t clock_seq = ((low >> 48) & 0x3fffULL) | 0x8000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffffULL, time_hi, clock_seq,
                     low & 0xffffffffffffULL);
}

std::string token_audience(std::string_view scope_or_resource) {
  if (scope_or_resource.ends_with(kDefaultSuffix)) scope_or_resource.remove_suffix(kDefaultSuffix.size());
  while (scope_or_resource.ends_with('/')) scope_or_resource.remove_suffix(1);
  return std::string(scope_or_resource);
}

FakeEntra::FakeEntra(FakeEntraOptions options)
    : options_(std::move(options)), lifetime_(options_.lifetime), random_(std::random_device{}()) {
  server_.handle("POST", "/([^/]+)/oauth2/v2\\.0/token", [this](const httplib::Request& req, httplib::Response& res) {
    serve(Flow::kClientCredentials, req, res);
  });
  // The documented sample writes /MSI/token; IDENTITY_ENDPOINT is used as given, so accept either spelling.
  server_.handle("GET", "/(msi|MSI)/token",
                 [this](const httplib::Request& req, httplib::Response& res) { serve(Flow::kAppService, req, res); });
  server_.handle("GET", std::string(kImdsPath),
                 [this](const httplib::Request& req, httplib::Response& res) { serve(Flow::kImds, req, res); });
}

FakeEntra::~FakeEntra() {
  faults_.stop();
  server_.stop();
}

void FakeEntra::start() {
  server_.start();
}

std::string FakeEntra::url() const {
  return server_.url();
}

std::string FakeEntra::app_service_endpoint() const {
  return server_.url() + "/msi/token";
}

std::string FakeEntra::imds_endpoint() const {
  return server_.url();
}

bool FakeEntra::valid(std::string_view token, std::string_view audience) const {
  const std::lock_guard lock(mutex_);
  const auto found = tokens_.find(token);
  if (found == tokens_.end()) return false;
  const Issued& issued = found->second;
  return !issued.revoked && std::chrono::system_clock::now() < issued.expires_at &&
         issued.audience == token_audience(audience);
}

void FakeEntra::revoke_all() {
  const std::lock_guard lock(mutex_);
  for (auto& [token, issued] : tokens_) issued.revoked = true;
}

void FakeEntra::set_lifetime(std::chrono::seconds lifetime) {
  const std::lock_guard lock(mutex_);
  lifetime_ = lifetime;
}

void FakeEntra::fail_next(int status, int count, std::string retry_after) {
  faults_.fail_next(status, count, std::move(retry_after));
}

void FakeEntra::delay_next(std::chrono::milliseconds delay) {
  faults_.delay_next(delay);
}

size_t FakeEntra::token_requests() const {
  const std::lock_guard lock(mutex_);
  return issued_order_.size();
}

std::vector<RecordedRequest> FakeEntra::requests() const {
  return server_.requests();
}

std::vector<std::string> FakeEntra::issued_tokens() const {
  const std::lock_guard lock(mutex_);
  return issued_order_;
}

FakeEntra::Grant FakeEntra::issue(std::string audience) {
  const std::lock_guard lock(mutex_);
  Grant grant;
  // JWT-looking but opaque: clients must not parse access tokens.
  grant.token = fmt::format("eyJ0eXAi.fake.{}.{:016x}{:016x}", ++counter_, random_(), random_());
  grant.issued_at = std::chrono::system_clock::now();
  grant.lifetime = lifetime_;
  grant.expires_at = grant.issued_at + lifetime_;
  tokens_.emplace(grant.token, Issued{std::move(audience), grant.expires_at, false});
  issued_order_.push_back(grant.token);
  return grant;
}

void FakeEntra::serve(Flow flow, const httplib::Request& request, httplib::Response& response) {
  Reply reply;
  const auto script = faults_.next();
  if (script && script->failure()) {
    reply = scripted_failure(flow, script->status);
    if (!script->retry_after.empty()) response.set_header("Retry-After", script->retry_after);
  } else {
    if (script) faults_.wait(script->delay);
    switch (flow) {
      case Flow::kClientCredentials: reply = client_credentials(request); break;
      case Flow::kAppService: reply = app_service(request); break;
      case Flow::kImds: reply = imds(request); break;
    }
  }
  response.status = reply.status;
  response.set_content(reply.body, kJsonType);
}

FakeEntra::Reply FakeEntra::entra_error(int status, std::string_view error, int code,
                                        std::string_view description) const {
  const std::string trace_id = random_guid();
  const std::string correlation_id = random_guid();
  const std::string timestamp = entra_timestamp();
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("error").value(error);
  w.key("error_description")
      .value(fmt::format("AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}", code, description,
                         trace_id, correlation_id, timestamp));
  w.key("error_codes").begin_array().value(code).end_array();
  w.key("timestamp").value(timestamp).key("trace_id").value(trace_id).key("correlation_id").value(correlation_id);
  w.end_object();
  return {status, std::move(body)};
}

FakeEntra::Reply FakeEntra::scripted_failure(Flow flow, int status) const {
  const std::string message = fmt::format("Fake Entra: scripted failure {} {}.", status, reason_of(status));
  std::string body;
  core::JsonWriter w(body);
  w.begin_object();
  switch (flow) {
    case Flow::kClientCredentials: {
      // No AADSTS code: the reference names none for throttling or outages.
      w.key("error").value(status >= 500 || status == 429 ? "temporarily_unavailable" : "invalid_request");
      w.key("error_description").value(message).key("error_codes").begin_array().end_array();
      w.key("timestamp").value(entra_timestamp()).key("trace_id").value(random_guid());
      w.key("correlation_id").value(random_guid());
      break;
    }
    case Flow::kAppService:
      w.key("statusCode").value(status).key("message").value(message).key("correlationId").value(random_guid());
      break;
    case Flow::kImds: w.key("error").value("service_unavailable").key("error_description").value(message); break;
  }
  w.end_object();
  return {status, std::move(body)};
}

FakeEntra::Reply FakeEntra::client_credentials(const httplib::Request& request) {
  const std::string tenant = request.matches[1].str();
  if (tenant != options_.tenant_id) {
    return entra_error(kHttpBadRequest, "invalid_request", kAadTenantNotFound,
                       fmt::format("Tenant '{}' not found. Check to make sure you have the correct tenant ID and are "
                                   "signing into the correct cloud.",
                                   tenant));
  }
  // A body that is not form-encoded reads as one without parameters, as at Entra.
  const auto fields = media_type(request.get_header_value("Content-Type")) == kFormType
                          ? parse_form(request.body)
                          : std::vector<std::pair<std::string, std::string>>{};
  const auto missing = [this](std::string_view name) {
    return entra_error(kHttpBadRequest, "invalid_request", kAadMissingParameter,
                       fmt::format("The request body must contain the following parameter: '{}'.", name));
  };

  const auto grant_type = field(fields, "grant_type");
  if (!grant_type || grant_type->empty()) return missing("grant_type");
  if (*grant_type != kClientCredentials) {
    return entra_error(kHttpBadRequest, "unsupported_grant_type", kAadUnsupportedGrant,
                       fmt::format("The app requested an unsupported grant type '{}'.", *grant_type));
  }

  // HTTP Basic client authentication (RFC 6749 §2.3.1): base64(urlencode(client_id) ":" urlencode(secret)).
  std::optional<std::string> basic_id;
  std::optional<std::string> basic_secret;
  const std::string authorization = request.get_header_value("Authorization");
  if (core::ascii_lower(authorization.substr(0, 6)) == "basic ") {
    const auto decoded = base64_decode(authorization.substr(6));
    const auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      return entra_error(kHttpUnauthorized, "invalid_client", kAadBadSecret,
                         "The Authorization header is not valid HTTP Basic client authentication.");
    }
    // Each half is form-encoded on its own; decode them separately so a stray '&' cannot mix them up.
    basic_id = field(parse_form("v=" + decoded->substr(0, colon)), "v").value_or("");
    basic_secret = field(parse_form("v=" + decoded->substr(colon + 1)), "v").value_or("");
  }

  auto client_id = field(fields, "client_id");
  if (!client_id) client_id = basic_id;
  if (!client_id || client_id->empty()) return missing("client_id");
  if (*client_id != options_.client_id || (basic_id && *basic_id != *client_id)) {
    return entra_error(kHttpBadRequest, "unauthorized_client", kAadAppNotFound,
                       fmt::format("Application with identifier '{}' was not found in the directory '{}'. This can "
                                   "happen if the application has not been installed by the administrator of the "
                                   "tenant or consented to by any user in the tenant. You may have sent your "
                                   "authentication request to the wrong tenant.",
                                   *client_id, tenant));
  }

  const auto body_secret = field(fields, "client_secret");
  const auto assertion_type = field(fields, "client_assertion_type");
  const auto assertion = field(fields, "client_assertion");
  const int credentials = (body_secret ? 1 : 0) + (basic_secret ? 1 : 0) + (assertion_type || assertion ? 1 : 0);
  if (credentials == 0) {
    return entra_error(kHttpBadRequest, "invalid_request", kAadNoCredential,
                       "The request body must contain the following parameter: 'client_assertion' or "
                       "'client_secret'.");
  }
  if (credentials > 1) {
    return entra_error(kHttpBadRequest, "invalid_request", kAadCredentialConflict,
                       "Only one client credential may be presented: 'client_secret' (in the body or HTTP Basic) "
                       "or 'client_assertion'.");
  }
  if (assertion_type || assertion) {
    if (!assertion_type || *assertion_type != kJwtBearer) {
      return entra_error(kHttpBadRequest, "invalid_request", kAadMissingParameter,
                         fmt::format("The request body must contain the following parameter: "
                                     "'client_assertion_type' with the value '{}'.",
                                     kJwtBearer));
    }
    if (!assertion || assertion->empty()) return missing("client_assertion");
    if (*assertion != options_.federated_token) {
      return entra_error(kHttpBadRequest, "invalid_client", kAadNoFederatedMatch,
                         fmt::format("No matching federated identity record found for presented assertion. "
                                     "Assertion audience, issuer or subject does not match app '{}'.",
                                     *client_id));
    }
  } else {
    const std::string& secret = body_secret ? *body_secret : *basic_secret;
    if (secret != options_.client_secret) {
      return entra_error(kHttpUnauthorized, "invalid_client", kAadBadSecret,
                         fmt::format("Invalid client secret provided. Ensure the secret being sent in the request is "
                                     "the client secret value, not the client secret ID, for a secret added to app "
                                     "'{}'.",
                                     *client_id));
    }
  }

  // "All scopes included must be for a single resource" and client credentials take only "<resource>/.default".
  const auto scope = field(fields, "scope");
  if (!scope || scope->empty()) return missing("scope");
  const bool one_scope = scope->find_first_of(" \t") == std::string::npos;
  if (!one_scope || !scope->ends_with(kDefaultSuffix) || token_audience(*scope).empty()) {
    return entra_error(kHttpBadRequest, "invalid_scope", kAadInvalidScope,
                       fmt::format("The provided value for the input parameter 'scope' is not valid. The scope {} is "
                                   "not valid.",
                                   *scope));
  }

  const Grant grant = issue(token_audience(*scope));
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("token_type").value("Bearer");
  w.key("expires_in").value(static_cast<int64_t>(grant.lifetime.count()));
  w.key("ext_expires_in").value(static_cast<int64_t>(grant.lifetime.count()));
  w.key("access_token").value(grant.token).end_object();
  return {kHttpOk, std::move(body)};
}

FakeEntra::Reply FakeEntra::app_service(const httplib::Request& request) {
  const auto failure = [](std::string_view message) {
    std::string body;
    core::JsonWriter w(body);
    w.begin_object().key("statusCode").value(kHttpBadRequest).key("message").value(message);
    w.key("correlationId").value(random_guid()).end_object();
    return Reply{kHttpBadRequest, std::move(body)};
  };
  if (!request.has_header("X-IDENTITY-HEADER")) {
    return failure("The X-IDENTITY-HEADER header (the value of IDENTITY_HEADER) is required.");
  }
  if (request.get_header_value("X-IDENTITY-HEADER") != options_.identity_header) {
    return failure("The X-IDENTITY-HEADER header does not match IDENTITY_HEADER.");
  }
  const std::string api_version = request.get_param_value("api-version");
  if (api_version != kAppServiceApiVersion) {
    return failure(fmt::format("The api-version '{}' is not supported; this endpoint takes api-version={}.",
                               api_version, kAppServiceApiVersion));
  }
  const std::string resource = request.get_param_value("resource");
  if (resource.empty()) return failure("The 'resource' query parameter is required.");
  if (resource.ends_with(kDefaultSuffix) || token_audience(resource).empty()) {
    return failure(
        fmt::format("The resource '{}' is not valid: pass a resource URI, not a '/.default' scope.", resource));
  }
  for (const char* other : {"principal_id", "object_id", "mi_res_id"}) {
    if (request.has_param(other)) return failure("Unable to load the requested managed identity.");
  }
  if (request.has_param("client_id") && request.get_param_value("client_id") != options_.client_id) {
    return failure("Unable to load the requested managed identity.");
  }

  const Grant grant = issue(token_audience(resource));
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("access_token").value(grant.token);
  w.key("expires_on").value(epoch_seconds(grant.expires_at));
  w.key("not_before").value(epoch_seconds(grant.issued_at));
  w.key("resource").value(resource).key("token_type").value("Bearer");
  w.key("client_id").value(options_.client_id).end_object();
  return {kHttpOk, std::move(body)};
}

FakeEntra::Reply FakeEntra::imds(const httplib::Request& request) {
  const auto failure = [](std::string_view description) {
    std::string body;
    core::JsonWriter w(body);
    w.begin_object().key("error").value("invalid_request").key("error_description").value(description).end_object();
    return Reply{kHttpBadRequest, std::move(body)};
  };
  // "must be set to "true", in all lower case".
  if (request.get_header_value("Metadata") != "true") return failure("Required metadata header not specified");
  const std::string api_version = request.get_param_value("api-version");
  if (!request.has_param("api-version")) return failure("Required query variable 'api-version' is missing");
  if (api_version != kImdsApiVersion) {
    return failure(fmt::format("Invalid api-version '{}'; the fake serves {}", api_version, kImdsApiVersion));
  }
  const std::string resource = request.get_param_value("resource");
  if (resource.empty()) return failure("Required audience parameter not specified");
  if (resource.ends_with(kDefaultSuffix) || token_audience(resource).empty()) {
    return failure(fmt::format("Invalid resource '{}': pass a resource URI, not a '/.default' scope", resource));
  }
  for (const char* other : {"object_id", "msi_res_id", "mi_res_id"}) {
    if (request.has_param(other)) return failure("Identity not found");
  }
  if (request.has_param("client_id") && request.get_param_value("client_id") != options_.client_id) {
    return failure("Identity not found");
  }

  const Grant grant = issue(token_audience(resource));
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("access_token").value(grant.token).key("refresh_token").value("");
  w.key("expires_in").value(std::to_string(grant.lifetime.count()));
  w.key("expires_on").value(epoch_seconds(grant.expires_at));
  w.key("not_before").value(epoch_seconds(grant.issued_at));
  w.key("resource").value(resource).key("token_type").value("Bearer").end_object();
  return {kHttpOk, std::move(body)};
}

}  // namespace sb::test
