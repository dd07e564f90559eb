// The fake Microsoft Graph security API: bearer and permission checks, alerts_v2 and incidents, comments, tags.
#include "support/fake_graph.hpp"

#include <httplib.h>
#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <utility>

#include "core/json_document.hpp"
#include "core/json_writer.hpp"
#include "support/fake_http.hpp"

namespace sb::test {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";
//! What Graph sends on success (OData JSON with its format parameters).
constexpr const char* kODataJsonType =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
constexpr int kHttpOk = 200;
constexpr int kHttpBadRequest = 400;
constexpr int kHttpUnauthorized = 401;
constexpr int kHttpForbidden = 403;
constexpr int kHttpNotFound = 404;
constexpr int kHttpMethodNotAllowed = 405;
constexpr int kHttpUnsupportedMedia = 415;
constexpr std::string_view kPortal = "https://security.microsoft.com";
constexpr std::string_view kServed =
    "the fake serves GET /v1.0/security/alerts_v2/{id}, POST /v1.0/security/alerts_v2/{id}/comments, "
    "GET and PATCH /v1.0/security/incidents/{id}, POST /v1.0/security/incidents/{id}/comments";
//! The properties the reference lists as updatable on an incident (microsoft.md §2.4).
constexpr std::array<std::string_view, 5> kIncidentUpdatable = {"assignedTo", "classification", "determination",
                                                                "status", "customTags"};

std::tm utc_now(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return utc;
}

//! Graph's resource timestamps, UTC with 100 ns digits: "2022-10-13T07:08:30.1606766Z".
std::string graph_time() {
  const auto now = std::chrono::system_clock::now();
  const std::tm utc = utc_now(now);
  using Ticks = std::chrono::duration<int64_t, std::ratio<1, 10'000'000>>;
  const auto ticks = std::chrono::duration_cast<Ticks>(now.time_since_epoch()).count() % 10'000'000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, ticks);
}

//! innerError.date: "2026-01-02T03:04:05" (no fraction, no zone, as Graph writes it).
std::string inner_error_date() {
  const std::tm utc = utc_now(std::chrono::system_clock::now());
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string scripted_code(int status) {
  switch (status) {
    case 429: return "TooManyRequests";
    case 500: return "InternalServerError";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "UnknownError";
  }
}

//! A parsed write body: the wanted value, or why the body is refused.
template <typename T>
struct Parsed {
  T value{};
  std::string problem;  // "" when the body is valid
};

//! `{"@odata.type":"microsoft.graph.security.alertComment","comment":"<non-empty>"}`, nothing else.
Parsed<std::string> parse_comment_body(const std::string& body) {
  simdjson::dom::parser parser;
  const auto parsed = core::parse_json(parser, body);
  if (!parsed) return {{}, "The request body is not valid JSON: " + parsed.error().message};
  simdjson::dom::object object;
  if (parsed.value().get_object().get(object) != simdjson::SUCCESS) {
    return {{}, "The request body must be a JSON object."};
  }
  std::optional<std::string_view> type;
  std::optional<std::string_view> comment;
  for (const auto field : object) {
    std::string_view text;
    if (field.key == "@odata.type") {
      if (field.value.get_string().get(text) != simdjson::SUCCESS) return {{}, "'@odata.type' must be a string."};
      type = text;
    } else if (field.key == "comment") {
      if (field.value.get_string().get(text) != simdjson::SUCCESS) return {{}, "'comment' must be a string."};
      comment = text;
    } else {
      return {{}, fmt::format("The property '{}' does not exist on type '{}'.", field.key, FakeGraph::kCommentType)};
    }
  }
  if (!type || *type != FakeGraph::kCommentType) {
    return {{}, fmt::format("'@odata.type' must be '{}'.", FakeGraph::kCommentType)};
  }
  if (!comment || comment->empty()) return {{}, "'comment' must be a non-empty string."};
  return {std::string(*comment), {}};
}

//! An incident PATCH body: a JSON object of updatable properties. The value is the new customTags, if sent.
Parsed<std::optional<std::vector<std::string>>> parse_incident_patch(const std::string& body) {
  simdjson::dom::parser parser;
  const auto parsed = core::parse_json(parser, body);
  if (!parsed) return {{}, "The request body is not valid JSON: " + parsed.error().message};
  simdjson::dom::object object;
  if (parsed.value().get_object().get(object) != simdjson::SUCCESS) {
    return {{}, "The request body must be a JSON object."};
  }
  std::optional<std::vector<std::string>> tags;
  for (const auto field : object) {
    if (std::find(kIncidentUpdatable.begin(), kIncidentUpdatable.end(), field.key) == kIncidentUpdatable.end()) {
      return {{},
              fmt::format("The property '{}' does not exist on type 'microsoft.graph.security.incident' or cannot "
                          "be updated.",
                          field.key)};
    }
    if (field.key != "customTags") continue;  // accepted and ignored
    simdjson::dom::array array;
    if (field.value.get_array().get(array) != simdjson::SUCCESS) {
      return {{}, "'customTags' must be an array of strings."};
    }
    std::vector<std::string> values;
    for (const auto element : array) {
      std::string_view text;
      if (element.get_string().get(text) != simdjson::SUCCESS) {
        return {{}, "'customTags' must be an array of strings."};
      }
      values.emplace_back(text);
    }
    tags = std::move(values);
  }
  return {std::move(tags), {}};
}

//! Writes alertComment objects (comment, createdByDisplayName, createdDateTime) as the next value, an array.
template <typename Comments>
void write_comments(core::JsonWriter& w, const Comments& comments) {
  w.begin_array();
  for (const auto& comment : comments) {
    w.begin_object().key("comment").value(comment.text).key("createdByDisplayName").value(comment.author);
    w.key("createdDateTime").value(comment.created).end_object();
  }
  w.end_array();
}

}  // namespace

FakeGraph::FakeGraph(const FakeEntra& entra) : entra_(entra) {
  server_.handle("*", ".*", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
}

FakeGraph::~FakeGraph() {
  faults_.stop();
  server_.stop();
}

void FakeGraph::start() {
  server_.start();
}

std::string FakeGraph::url() const {
  return server_.url();
}

void FakeGraph::add_alert(std::string alert_id, std::string incident_id) {
  const std::lock_guard lock(mutex_);
  alerts_.insert_or_assign(std::move(alert_id), Alert{std::move(incident_id), {}});
}

void FakeGraph::add_incident(std::string incident_id, std::vector<std::string> custom_tags) {
  const std::string now = graph_time();
  const std::lock_guard lock(mutex_);
  incidents_.insert_or_assign(std::move(incident_id), Incident{std::move(custom_tags), {}, now, now});
}

std::vector<std::string> FakeGraph::alert_comments(const std::string& alert_id) const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> texts;
  if (const auto found = alerts_.find(alert_id); found != alerts_.end()) {
    for (const auto& comment : found->second.comments) texts.push_back(comment.text);
  }
  return texts;
}

std::vector<std::string> FakeGraph::incident_comments(const std::string& incident_id) const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> texts;
  if (const auto found = incidents_.find(incident_id); found != incidents_.end()) {
    for (const auto& comment : found->second.comments) texts.push_back(comment.text);
  }
  return texts;
}

std::vector<std::string> FakeGraph::incident_tags(const std::string& incident_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = incidents_.find(incident_id);
  return found == incidents_.end() ? std::vector<std::string>{} : found->second.tags;
}

void FakeGraph::deny(std::string permission) {
  const std::lock_guard lock(mutex_);
  denied_.insert(std::move(permission));
}

void FakeGraph::allow_all() {
  const std::lock_guard lock(mutex_);
  denied_.clear();
}

void FakeGraph::fail_next(int status, int count, std::string retry_after) {
  faults_.fail_next(status, count, std::move(retry_after));
}

void FakeGraph::delay_next(std::chrono::milliseconds delay) {
  faults_.delay_next(delay);
}

std::vector<RecordedRequest> FakeGraph::requests() const {
  return server_.requests();
}

size_t FakeGraph::request_count() const {
  return server_.request_count();
}

void FakeGraph::serve(const httplib::Request& request, httplib::Response& response) {
  const std::string request_id = random_guid();
  const std::string client_request_id = request.get_header_value("client-request-id");
  response.set_header("request-id", request_id);
  if (!client_request_id.empty()) response.set_header("client-request-id", client_request_id);

  Reply reply;
  const auto script = faults_.next();
  if (script && script->failure()) {
    reply = {script->status,
             {},
             scripted_code(script->status),
             fmt::format("Fake Graph: scripted failure {}.", script->status)};
    if (!script->retry_after.empty()) response.set_header("Retry-After", script->retry_after);
  } else {
    if (script) faults_.wait(script->delay);
    reply = route(request);
  }

  response.status = reply.status;
  if (reply.code.empty()) {
    response.set_content(reply.body, kODataJsonType);
    return;
  }
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("error").begin_object().key("code").value(reply.code).key("message").value(reply.message);
  w.key("innerError").begin_object().key("date").value(inner_error_date()).key("request-id").value(request_id);
  w.key("client-request-id").value(client_request_id.empty() ? random_guid() : client_request_id);
  w.end_object().end_object().end_object();
  response.set_content(body, kJsonType);
}

FakeGraph::Reply FakeGraph::route(const httplib::Request& request) {
  static const std::regex kAlert("/v1\\.0/security/alerts_v2/([^/]+)");
  static const std::regex kAlertComments("/v1\\.0/security/alerts_v2/([^/]+)/comments");
  static const std::regex kIncident("/v1\\.0/security/incidents/([^/]+)");
  static const std::regex kIncidentComments("/v1\\.0/security/incidents/([^/]+)/comments");

  const std::string token = bearer_token(request);
  if (token.empty()) return {kHttpUnauthorized, {}, "InvalidAuthenticationToken", "Access token is empty."};
  if (!entra_.valid(token, kAudience)) {
    return {kHttpUnauthorized,
            {},
            "InvalidAuthenticationToken",
            fmt::format("Access token validation failure: the token is unknown, expired, revoked or not issued for "
                        "audience {}.",
                        kAudience)};
  }

  const auto not_allowed = [&request](std::string_view allowed) {
    return Reply{kHttpMethodNotAllowed,
                 {},
                 "MethodNotAllowed",
                 fmt::format("The method {} is not allowed on {}; {} is.", request.method, request.path, allowed)};
  };
  // The collections (GET with $top), as a permissions probe reads them.
  if (request.path == "/v1.0/security/alerts_v2" || request.path == "/v1.0/security/incidents") {
    if (request.method != "GET") return not_allowed("GET");
    const bool incidents = request.path.ends_with("incidents");
    if (auto denied = incidents ? check_permission({kIncidentRead, kIncidentReadWrite})
                                : check_permission({kAlertRead, kAlertReadWrite})) {
      return *denied;
    }
    return list(incidents, request.has_param("$top") ? std::atoi(request.get_param_value("$top").c_str()) : 50);
  }
  std::smatch match;
  if (std::regex_match(request.path, match, kAlert)) {
    if (request.method != "GET") return not_allowed("GET");
    if (auto denied = check_permission({kAlertRead, kAlertReadWrite})) return *denied;
    return get_alert(match[1].str());
  }
  if (std::regex_match(request.path, match, kAlertComments)) {
    if (request.method != "POST") return not_allowed("POST");
    if (auto denied = check_permission({kAlertReadWrite})) return *denied;
    return post_comment(false, match[1].str(), request);
  }
  if (std::regex_match(request.path, match, kIncident)) {
    if (request.method == "GET") {
      if (auto denied = check_permission({kIncidentRead, kIncidentReadWrite})) return *denied;
      return get_incident(match[1].str());
    }
    if (request.method != "PATCH") return not_allowed("GET or PATCH");
    if (auto denied = check_permission({kIncidentReadWrite})) return *denied;
    return patch_incident(match[1].str(), request);
  }
  if (std::regex_match(request.path, match, kIncidentComments)) {
    if (request.method != "POST") return not_allowed("POST");
    if (auto denied = check_permission({kIncidentReadWrite})) return *denied;
    return post_comment(true, match[1].str(), request);
  }
  return {kHttpBadRequest,
          {},
          "BadRequest",
          fmt::format("Resource not found for {} {}; {}.", request.method, request.path, kServed)};
}

FakeGraph::Reply FakeGraph::list(bool incidents, int top) const {
  const std::lock_guard lock(mutex_);
  std::string body = R"({"@odata.context":")" + url() + "/v1.0/$metadata#security/" +
                     (incidents ? "incidents" : "alerts_v2") + R"(","value":[)";
  int count = 0;
  if (incidents) {
    for (const auto& [id, incident] : incidents_) {
      if (count >= top) break;
      if (count++ > 0) body += ',';
      body += incident_json(id, incident);
    }
  } else {
    for (const auto& [id, alert] : alerts_) {
      if (count >= top) break;
      if (count++ > 0) body += ',';
      body += alert_json(id, alert);
    }
  }
  return {kHttpOk, body + "]}", {}, {}};
}

std::optional<FakeGraph::Reply> FakeGraph::check_permission(std::initializer_list<std::string_view> permissions) const {
  const std::lock_guard lock(mutex_);
  for (const auto permission : permissions) {
    if (!denied_.contains(permission)) return std::nullopt;
  }
  std::string names;
  for (const auto permission : permissions) names += (names.empty() ? "" : " or ") + std::string(permission);
  return Reply{
      kHttpForbidden, {}, "Forbidden", fmt::format("Missing application permission: this request needs {}.", names)};
}

FakeGraph::Reply FakeGraph::get_alert(const std::string& alert_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = alerts_.find(alert_id);
  if (found == alerts_.end()) {
    return {kHttpNotFound, {}, "NotFound", fmt::format("The alert '{}' was not found.", alert_id)};
  }
  return {kHttpOk, alert_json(found->first, found->second), {}, {}};
}

FakeGraph::Reply FakeGraph::get_incident(const std::string& incident_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = incidents_.find(incident_id);
  if (found == incidents_.end()) {
    return {kHttpNotFound, {}, "NotFound", fmt::format("The incident '{}' was not found.", incident_id)};
  }
  return {kHttpOk, incident_json(found->first, found->second), {}, {}};
}

FakeGraph::Reply FakeGraph::post_comment(bool on_incident, const std::string& id, const httplib::Request& request) {
  const auto comment = parse_comment_body(request.body);
  const std::string now = graph_time();
  const std::lock_guard lock(mutex_);
  std::vector<Comment>* comments = nullptr;
  std::string* last_update = nullptr;
  if (on_incident) {
    if (const auto found = incidents_.find(id); found != incidents_.end()) {
      comments = &found->second.comments;
      last_update = &found->second.last_update;
    }
  } else if (const auto found = alerts_.find(id); found != alerts_.end()) {
    comments = &found->second.comments;
  }
  const std::string_view kind = on_incident ? "incident" : "alert";
  if (comments == nullptr) return {kHttpNotFound, {}, "NotFound", fmt::format("The {} '{}' was not found.", kind, id)};
  if (media_type(request.get_header_value("Content-Type")) != "application/json") {
    return {kHttpUnsupportedMedia, {}, "UnsupportedMediaType", "The Content-Type must be application/json."};
  }
  if (!comment.problem.empty()) return {kHttpBadRequest, {}, "BadRequest", comment.problem};
  comments->push_back(Comment{comment.value, entra_.options().client_id, now});
  if (last_update != nullptr) *last_update = now;
  const auto context = fmt::format("security/{}('{}')/comments", on_incident ? "incidents" : "alerts_v2", id);
  return {kHttpOk, comments_json(context, *comments), {}, {}};
}

FakeGraph::Reply FakeGraph::patch_incident(const std::string& incident_id, const httplib::Request& request) {
  auto patch = parse_incident_patch(request.body);
  const std::string now = graph_time();
  const std::lock_guard lock(mutex_);
  const auto found = incidents_.find(incident_id);
  if (found == incidents_.end()) {
    return {kHttpNotFound, {}, "NotFound", fmt::format("The incident '{}' was not found.", incident_id)};
  }
  if (media_type(request.get_header_value("Content-Type")) != "application/json") {
    return {kHttpUnsupportedMedia, {}, "UnsupportedMediaType", "The Content-Type must be application/json."};
  }
  if (!patch.problem.empty()) return {kHttpBadRequest, {}, "BadRequest", patch.problem};
  // A collection property: the array sent replaces the one stored (microsoft.md §2.4).
  if (patch.value) found->second.tags = std::move(*patch.value);
  found->second.last_update = now;
  return {kHttpOk, incident_json(found->first, found->second), {}, {}};
}

std::string FakeGraph::alert_json(const std::string& alert_id, const Alert& alert) const {
  const std::string& tenant = entra_.options().tenant_id;
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("@odata.context").value(url() + "/v1.0/$metadata#security/alerts_v2/$entity");
  w.key("@odata.type").value("#microsoft.graph.security.alert");
  w.key("id").value(alert_id).key("providerAlertId").value(alert_id).key("incidentId").value(alert.incident_id);
  w.key("status").value("new").key("severity").value("medium");
  w.key("serviceSource").value("microsoftDefenderForEndpoint");
  w.key("alertWebUrl").value(fmt::format("{}/alerts/{}?tid={}", kPortal, alert_id, tenant));
  w.key("incidentWebUrl").value(fmt::format("{}/incidents/{}?tid={}", kPortal, alert.incident_id, tenant));
  w.key("comments");
  write_comments(w, alert.comments);
  w.key("evidence").begin_array().end_array().key("systemTags").begin_array().end_array();
  w.end_object();
  return body;
}

std::string FakeGraph::incident_json(const std::string& incident_id, const Incident& incident) const {
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("@odata.context").value(url() + "/v1.0/$metadata#security/incidents/$entity");
  w.key("@odata.type").value("#microsoft.graph.security.incident");
  w.key("id").value(incident_id).key("displayName").value(fmt::format("Fake incident {}", incident_id));
  w.key("status").value("active").key("severity").value("medium");
  w.key("customTags").begin_array();
  for (const auto& tag : incident.tags) w.value(tag);
  w.end_array();
  w.key("comments");
  write_comments(w, incident.comments);
  w.key("incidentWebUrl")
      .value(fmt::format("{}/incidents/{}?tid={}", kPortal, incident_id, entra_.options().tenant_id));
  w.key("createdDateTime").value(incident.created).key("lastUpdateDateTime").value(incident.last_update);
  w.end_object();
  return body;
}

std::string FakeGraph::comments_json(std::string_view context_path, const std::vector<Comment>& comments) const {
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("@odata.context").value(fmt::format("{}/v1.0/$metadata#{}", url(), context_path));
  w.key("value");
  write_comments(w, comments);
  w.end_object();
  return body;
}

}  // namespace sb::test
