// The fake Key Vault secrets endpoint: bearer challenge, RBAC denial, api-version check, versioned secret reads.
#include "support/fake_key_vault.hpp"

#include <httplib.h>

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <stdexcept>
#include <utility>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "support/fake_http.hpp"

namespace sb::test {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kHttpOk = 200;
constexpr int kHttpBadRequest = 400;
constexpr int kHttpUnauthorized = 401;
constexpr int kHttpForbidden = 403;
constexpr int kHttpNotFound = 404;
constexpr int kHttpMethodNotAllowed = 405;
constexpr size_t kMaxNameLength = 127;
//! The first date-named api-version the fake accepts (those came after 7.6; older dates predate 7.0).
constexpr std::string_view kFirstDatedVersion = "2025-01-01";

std::string scripted_code(int status) {
  switch (status) {
    case 429: return "Throttled";
    case 500: return "InternalServerError";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "UnknownError";
  }
}

//! Key Vault object names: 1–127 characters, ASCII letters, digits and '-'.
bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxNameLength && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

int64_t epoch_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

FakeKeyVault::FakeKeyVault(const FakeEntra& entra) : entra_(entra) {
  server_.handle("*", ".*", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
}

FakeKeyVault::~FakeKeyVault() {
  faults_.stop();
  server_.stop();
}

void FakeKeyVault::start() {
  server_.start();
}

std::string FakeKeyVault::url() const {
  return server_.url();
}

std::string FakeKeyVault::set_secret(std::string name, std::string value) {
  if (!valid_name(name)) {
    throw std::invalid_argument("FakeKeyVault::set_secret: a secret name is 1-127 of [0-9a-zA-Z-]: '" + name + "'");
  }
  std::string version = random_guid();
  version.erase(std::remove(version.begin(), version.end(), '-'), version.end());
  const std::lock_guard lock(mutex_);
  Secret& secret = secrets_[core::ascii_lower(name)];
  if (secret.name.empty()) secret.name = std::move(name);
  secret.versions.push_back(Version{version, std::move(value), epoch_now()});
  return version;
}

void FakeKeyVault::deny(bool denied) {
  const std::lock_guard lock(mutex_);
  denied_ = denied;
}

bool FakeKeyVault::supported_api_version(std::string_view version) {
  static const std::regex kNumbered("([0-9]{1,4})\\.([0-9]{1,4})");
  static const std::regex kDated("([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])");
  if (const auto preview = version.find("-preview"); preview != std::string_view::npos) {
    version = version.substr(0, preview);
  }
  const std::string text(version);
  std::smatch match;
  if (std::regex_match(text, match, kNumbered)) return std::stoi(match[1].str()) >= 7;
  if (std::regex_match(text, match, kDated)) return text >= kFirstDatedVersion;
  return false;
}

void FakeKeyVault::fail_next(int status, int count, std::string retry_after) {
  faults_.fail_next(status, count, std::move(retry_after));
}

void FakeKeyVault::delay_next(std::chrono::milliseconds delay) {
  faults_.delay_next(delay);
}

std::vector<RecordedRequest> FakeKeyVault::requests() const {
  return server_.requests();
}

size_t FakeKeyVault::secret_reads() const {
  const std::lock_guard lock(mutex_);
  return secret_reads_;
}

void FakeKeyVault::serve(const httplib::Request& request, httplib::Response& response) {
  const std::string client_request_id = request.get_header_value("x-ms-client-request-id");
  response.set_header("x-ms-request-id", random_guid());
  if (!client_request_id.empty()) response.set_header("x-ms-client-request-id", client_request_id);

  Reply reply;
  bool challenge = false;
  const auto script = faults_.next();
  if (script && script->failure()) {
    reply = {script->status,
             {},
             scripted_code(script->status),
             fmt::format("Fake Key Vault: scripted failure {}.", script->status),
             {}};
    if (!script->retry_after.empty()) response.set_header("Retry-After", script->retry_after);
  } else {
    if (script) faults_.wait(script->delay);
    reply = check(request, challenge);
  }

  if (challenge) {
    response.set_header("WWW-Authenticate", fmt::format(R"(Bearer authorization="{}/{}", resource="{}")", entra_.url(),
                                                        entra_.options().tenant_id, kAudience));
  }
  response.status = reply.status;
  if (reply.code.empty()) {
    response.set_content(reply.body, kJsonType);
    return;
  }
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("error").begin_object().key("code").value(reply.code).key("message").value(reply.message);
  if (!reply.inner_code.empty()) w.key("innererror").begin_object().key("code").value(reply.inner_code).end_object();
  w.end_object().end_object();
  response.set_content(body, kJsonType);
}

FakeKeyVault::Reply FakeKeyVault::check(const httplib::Request& request, bool& challenge) {
  static const std::regex kSecret("/secrets/([^/]+)(?:/([^/]+))?/?");

  const std::string token = bearer_token(request);
  if (token.empty() || !entra_.valid(token, kAudience)) {
    challenge = true;
    return {kHttpUnauthorized,
            {},
            "Unauthorized",
            token.empty() ? "AKV10000: Request is missing a Bearer or PoP token."
                          : fmt::format("The bearer token is unknown, expired, revoked or not issued for audience {}.",
                                        kAudience),
            {}};
  }
  std::smatch match;
  if (!std::regex_match(request.path, match, kSecret)) {
    return {kHttpNotFound,
            {},
            "NotFound",
            fmt::format("No resource at {}; the fake serves GET /secrets/{{name}}[/{{version}}].", request.path),
            {}};
  }
  if (request.method != "GET") {
    return {kHttpMethodNotAllowed,
            {},
            "MethodNotAllowed",
            fmt::format("The method {} is not allowed; the fake serves only GET of secrets.", request.method),
            {}};
  }
  if (!request.has_param("api-version")) {
    return {kHttpBadRequest, {}, "BadParameter", "The 'api-version' query parameter is required.", {}};
  }
  const std::string api_version = request.get_param_value("api-version");
  if (!supported_api_version(api_version)) {
    return {kHttpBadRequest,
            {},
            "BadParameter",
            fmt::format("The specified version ({}) is not recognized. Consider using 7.4.", api_version),
            {}};
  }

  const std::string name = match[1].str();
  const std::string version = match[2].matched ? match[2].str() : std::string();
  const std::lock_guard lock(mutex_);
  if (denied_) {
    return {kHttpForbidden,
            {},
            "Forbidden",
            "Caller is not authorized to perform action on resource. Action: "
            "'Microsoft.KeyVault/vaults/secrets/getSecret/action' (the secrets/get permission).",
            "ForbiddenByRbac"};
  }
  if (!valid_name(name)) {
    return {kHttpBadRequest, {}, "BadParameter", fmt::format("The request URI contains an invalid name: {}", name), {}};
  }
  const auto not_found = [&] {
    return Reply{kHttpNotFound,
                 {},
                 "SecretNotFound",
                 fmt::format("A secret with (name/id) {} was not found in this key vault. If you recently deleted "
                             "this secret you may be able to recover it using the correct recovery command. For help "
                             "resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
                             version.empty() ? name : name + "/" + version),
                 {}};
  };
  const auto found = secrets_.find(core::ascii_lower(name));
  if (found == secrets_.end() || found->second.versions.empty()) return not_found();
  const Secret& secret = found->second;
  const Version* chosen = &secret.versions.back();
  if (!version.empty()) {
    const auto wanted = core::ascii_lower(version);
    const auto it = std::find_if(secret.versions.begin(), secret.versions.end(),
                                 [&wanted](const Version& candidate) { return candidate.id == wanted; });
    if (it == secret.versions.end()) return not_found();
    chosen = &*it;
  }

  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("value").value(chosen->value);
  w.key("id").value(fmt::format("{}/secrets/{}/{}", url(), secret.name, chosen->id));
  w.key("attributes").begin_object().key("enabled").value(true);
  w.key("created").value(chosen->created).key("updated").value(chosen->created);
  w.key("recoveryLevel").value(kRecoveryLevel).end_object();
  w.end_object();
  ++secret_reads_;
  return {kHttpOk, std::move(body), {}, {}, {}};
}

}  // namespace sb::test
