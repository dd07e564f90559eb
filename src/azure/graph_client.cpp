// Requests per microsoft.md §2.1–2.4: alerts_v2 and incidents under /v1.0/security, comments as
// {"@odata.type":"microsoft.graph.security.alertComment","comment":…}, tags by PATCH customTags.
#include "azure/graph_client.hpp"

#include <simdjson.h>

#include "azure/authorized_send.hpp"
#include "core/form_encoding.hpp"
#include "core/json_document.hpp"
#include "core/json_writer.hpp"
#include "core/request_id.hpp"
#include "core/service_url.hpp"

namespace sb::azure {
namespace {

constexpr double kSecondsPerMinute = 60.0;
constexpr size_t kMaxMessageChars = 300;

constexpr std::string_view kAlertRead = "SecurityAlert.Read.All (or SecurityAlert.ReadWrite.All)";
constexpr std::string_view kAlertWrite = "SecurityAlert.ReadWrite.All";
constexpr std::string_view kIncidentRead = "SecurityIncident.Read.All (or SecurityIncident.ReadWrite.All)";
constexpr std::string_view kIncidentWrite = "SecurityIncident.ReadWrite.All";

std::string path_segment(std::string_view id) {
  std::string out;
  core::append_percent_encoded(out, id);
  return out;
}

std::string comment_body(const std::string& comment) {
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("@odata.type").value("microsoft.graph.security.alertComment");
  w.key("comment").value(comment).end_object();
  return body;
}

//! error.code and error.message of a Graph error body, "" when it is not one.
std::string graph_error(const std::string& body) {
  simdjson::dom::parser parser;
  auto document = core::parse_json(parser, body);
  simdjson::dom::object error;
  if (!document || (*document)["error"].get_object().get(error) != simdjson::SUCCESS) return {};
  std::string_view code;
  std::string_view message;
  if (error["code"].get_string().get(code) != simdjson::SUCCESS) code = {};
  if (error["message"].get_string().get(message) != simdjson::SUCCESS) message = {};
  std::string text(code);
  if (!message.empty()) text.append(text.empty() ? "" : ": ").append(message.substr(0, kMaxMessageChars));
  return text;
}

std::vector<std::string> strings_of(simdjson::dom::object object, std::string_view key) {
  std::vector<std::string> out;
  simdjson::dom::array array;
  if (object[key].get_array().get(array) != simdjson::SUCCESS) return out;
  for (auto element : array) {
    std::string_view text;
    if (element.get_string().get(text) == simdjson::SUCCESS) out.emplace_back(text);
  }
  return out;
}

std::vector<std::string> comments_of(simdjson::dom::object object) {
  std::vector<std::string> out;
  simdjson::dom::array array;
  if (object["comments"].get_array().get(array) != simdjson::SUCCESS) return out;
  for (auto element : array) {
    std::string_view text;
    if (element["comment"].get_string().get(text) == simdjson::SUCCESS) out.emplace_back(text);
  }
  return out;
}

core::Result<simdjson::dom::object> object_of(simdjson::dom::parser& parser, const http::Response& response,
                                              std::string_view what) {
  auto document = core::parse_json(parser, response.body);
  simdjson::dom::object object;
  if (!document || document->get_object().get(object) != simdjson::SUCCESS) {
    return core::make_error("graph: " + std::string(what) + ": the reply is not a JSON object");
  }
  return object;
}

}  // namespace

core::Result<std::unique_ptr<GraphClient>> GraphClient::create(GraphOptions options,
                                                               std::shared_ptr<TokenProvider> tokens,
                                                               std::shared_ptr<http::HttpClient> http) {
  auto endpoint = core::parse_service_url(options.endpoint, "scan.graph.endpoint");
  if (!endpoint) return endpoint.error();
  std::string base = endpoint->base + "/v1.0";
  return std::unique_ptr<GraphClient>(
      new GraphClient(std::move(options), std::move(tokens), std::move(http), std::move(base)));
}

GraphClient::GraphClient(GraphOptions options, std::shared_ptr<TokenProvider> tokens,
                         std::shared_ptr<http::HttpClient> http, std::string base)
    : options_(std::move(options)),
      tokens_(std::move(tokens)),
      http_(std::move(http)),
      base_(std::move(base)),
      budget_(options_.requests_per_minute / kSecondsPerMinute, options_.requests_per_minute / kSecondsPerMinute) {}

core::Result<http::Response> GraphClient::call(std::string method, const std::string& path, std::string body,
                                               std::string_view permission) {
  const std::string what = method + " " + path;
  http::Request request;
  request.method = std::move(method);
  request.url = base_ + path;
  request.body = std::move(body);
  request.headers = {{"client-request-id", core::new_request_id()}};
  if (!request.body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  if (!budget_.acquire(options_.stop))
    return core::make_error("graph: " + what + ": stop requested while rate limited");
  auto response = send_authorized(*http_, *tokens_, options_.scope, std::move(request));
  if (!response) return response.error().with_context("graph: " + what);
  const long status = response->status;
  if (http::is_success(status)) return response;

  std::string message = "graph: " + what + " answered HTTP " + std::to_string(status);
  const std::string detail = graph_error(response->body);
  if (!detail.empty()) message += " (" + detail + ")";
  if (const auto id = response->header("request-id")) message += " [request-id " + std::string(*id) + "]";
  if (status == http::kForbidden) {
    message += ": grant the application permission " + std::string(permission) +
               " on Microsoft Graph (with admin consent) to the identity in use";
  } else if (status == http::kUnauthorized) {
    message += ": the token for " + options_.scope + " was refused twice; check [azure] and scan.graph.scope";
  }
  // 408, 429 and 5xx were retried by the HTTP client already and may heal; other 4xx concern this item only.
  return core::make_error(std::move(message), http::error_kind_of_status(status));
}

core::Result<GraphAlert> GraphClient::get_alert(const std::string& alert_id) {
  auto response = call("GET", "/security/alerts_v2/" + path_segment(alert_id), {}, kAlertRead);
  if (!response) return response.error();
  simdjson::dom::parser parser;
  auto object = object_of(parser, *response, "alert " + alert_id);
  if (!object) return object.error();
  GraphAlert alert;
  alert.id = alert_id;
  std::string_view incident;
  if ((*object)["incidentId"].get_string().get(incident) == simdjson::SUCCESS)
    alert.incident_id = std::string(incident);
  alert.comments = comments_of(*object);
  return alert;
}

core::Result<GraphIncident> GraphClient::get_incident(const std::string& incident_id) {
  auto response = call("GET", "/security/incidents/" + path_segment(incident_id), {}, kIncidentRead);
  if (!response) return response.error();
  simdjson::dom::parser parser;
  auto object = object_of(parser, *response, "incident " + incident_id);
  if (!object) return object.error();
  GraphIncident incident;
  incident.id = incident_id;
  incident.custom_tags = strings_of(*object, "customTags");
  incident.comments = comments_of(*object);
  return incident;
}

core::Status GraphClient::post_alert_comment(const std::string& alert_id, const std::string& comment) {
  auto response =
      call("POST", "/security/alerts_v2/" + path_segment(alert_id) + "/comments", comment_body(comment), kAlertWrite);
  if (!response) return response.error();
  return {};
}

core::Status GraphClient::post_incident_comment(const std::string& incident_id, const std::string& comment) {
  auto response = call("POST", "/security/incidents/" + path_segment(incident_id) + "/comments", comment_body(comment),
                       kIncidentWrite);
  if (!response) return response.error();
  return {};
}

core::Status GraphClient::check_read_access(bool incidents) {
  auto response = incidents ? call("GET", "/security/incidents?$top=1", {}, kIncidentRead)
                            : call("GET", "/security/alerts_v2?$top=1", {}, kAlertRead);
  if (response) return {};
  core::Error error = response.error();
  if (error.kind == core::ErrorKind::kRefusedItem) error.message += ": check scan.graph.endpoint";
  return error;
}

core::Status GraphClient::set_incident_tags(const std::string& incident_id, const std::vector<std::string>& tags) {
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("customTags").begin_array();
  for (const auto& tag : tags) w.value(tag);
  w.end_array().end_object();
  auto response = call("PATCH", "/security/incidents/" + path_segment(incident_id), std::move(body), kIncidentWrite);
  if (!response) return response.error();
  return {};
}

}  // namespace sb::azure
