// A fake Microsoft Graph security API (alerts_v2, incidents, comments, incident tags) on 127.0.0.1, for tests of
// the Graph write-back client.
//
// The fake follows microsoft.md §2.1–2.5 and "Key facts for implementers → Graph write-back". Under url() + "/v1.0":
//
//   GET   /security/alerts_v2/{alertId}             (SecurityAlert.Read.All or SecurityAlert.ReadWrite.All)
//         → 200 the alert: @odata.context, @odata.type "#microsoft.graph.security.alert", id, providerAlertId,
//               incidentId (a string), status, severity, serviceSource, alertWebUrl, incidentWebUrl, comments,
//               evidence [], systemTags []
//   POST  /security/alerts_v2/{alertId}/comments    (SecurityAlert.ReadWrite.All)
//   POST  /security/incidents/{incidentId}/comments (SecurityIncident.ReadWrite.All)
//         Content-Type: application/json
//         {"@odata.type":"microsoft.graph.security.alertComment","comment":"<non-empty>"}
//         → 200 {"@odata.context":"…","value":[the full updated list of {comment, createdByDisplayName,
//                createdDateTime}]}
//   GET   /security/incidents/{incidentId}          (SecurityIncident.Read.All or SecurityIncident.ReadWrite.All)
//         → 200 the incident: @odata.context, @odata.type "#microsoft.graph.security.incident", id, displayName,
//               status "active", severity, customTags, comments, incidentWebUrl, createdDateTime, lastUpdateDateTime
//   PATCH /security/incidents/{incidentId}          (SecurityIncident.ReadWrite.All)
//         Content-Type: application/json, a JSON object of updatable properties: customTags (an array of strings)
//         REPLACES the whole tag array; assignedTo, classification, determination, status are accepted and ignored
//         → 200 the updated incident
//
// Every request needs "Authorization: Bearer <token>" with FakeEntra::valid(token, "https://graph.microsoft.com").
// Every response carries a fresh GUID in the request-id header and echoes client-request-id when sent. Errors have
// Graph's shape:
//   {"error":{"code":"…","message":"…","innerError":{"date":"2026-01-02T03:04:05","request-id":"<guid>",
//             "client-request-id":"<the one sent, else a fresh guid>"}}}
//
// Checks, in this order:
//   scripted fault (fail_next)                   → its status (+ Retry-After): 429 TooManyRequests,
//                                                   500 InternalServerError, 502 BadGateway, 503 ServiceUnavailable,
//                                                   504 GatewayTimeout, otherwise UnknownError
//   token missing / not valid for Graph          → 401 InvalidAuthenticationToken
//   a path the fake does not serve               → 400 BadRequest
//   a served path with another method            → 405 MethodNotAllowed
//   the needed permission denied (deny)          → 403 Forbidden
//   unknown alert or incident                    → 404 NotFound
//   POST/PATCH Content-Type not application/json → 415 UnsupportedMediaType
//   body not as above                            → 400 BadRequest
//
// Where the reference is silent the fake chooses and says so here: the error codes other than BadRequest, NotFound,
// Forbidden and InvalidAuthenticationToken, all messages, and the check order; the 403 body carries innerError like
// every other error; a comment body must hold exactly the two properties (another property is a 400), "@odata.type"
// exactly "microsoft.graph.security.alertComment" (no leading '#'), and a comment of blanks counts as non-empty; a
// PATCH property other than the five documented updatable ones is a 400, and customTags null is a 400; the values of
// the ignored properties are not checked (the documented example sends "TruePositive"); createdByDisplayName is the
// FakeEntra client id; timestamps are UTC with 7 fractional digits ("2022-10-13T07:08:30.1606766Z"); @odata.context
// is built on url() + "/v1.0"; alertWebUrl and incidentWebUrl point at the portal
// ("https://security.microsoft.com/alerts/{id}?tid={tenant}"), inert strings the fake never contacts; severity is
// "medium", alert status "new", serviceSource "microsoftDefenderForEndpoint"; success bodies are
// "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8".
//
// Scripted behaviour (fail_next, delay_next) is consumed one request at a time, in arrival order, across all
// routes. Thread-safe: the server's handlers run concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_entra.hpp"
#include "support/loopback_server.hpp"
#include "support/scripted_faults.hpp"

namespace sb::test {

class FakeGraph {
 public:
  //! The token audience Graph accepts (scope https://graph.microsoft.com/.default).
  static constexpr std::string_view kAudience = "https://graph.microsoft.com";
  //! The application permissions the routes need (deny() takes these names).
  static constexpr std::string_view kAlertRead = "SecurityAlert.Read.All";
  static constexpr std::string_view kAlertReadWrite = "SecurityAlert.ReadWrite.All";
  static constexpr std::string_view kIncidentRead = "SecurityIncident.Read.All";
  static constexpr std::string_view kIncidentReadWrite = "SecurityIncident.ReadWrite.All";
  //! The "@odata.type" a comment body must carry, for alerts and incidents alike.
  static constexpr std::string_view kCommentType = "microsoft.graph.security.alertComment";

  //! `entra` must outlive the fake; its valid() decides which bearer tokens are accepted.
  explicit FakeGraph(const FakeEntra& entra);
  //! Wakes delayed replies, then stops the server.
  ~FakeGraph();
  FakeGraph(const FakeGraph&) = delete;
  FakeGraph& operator=(const FakeGraph&) = delete;

  //! Binds a free port on 127.0.0.1 and serves; throws std::runtime_error when it cannot.
  void start();
  //! "http://127.0.0.1:PORT" (stands for https://graph.microsoft.com); the API is under url() + "/v1.0".
  std::string url() const;

  //! Adds (or replaces, dropping its comments) the alert `alert_id` of incident `incident_id`. The incident is not
  //! created: add it with add_incident when the test reads or writes it.
  void add_alert(std::string alert_id, std::string incident_id);
  //! Adds (or replaces, dropping its comments) the incident `incident_id` with these analyst tags.
  void add_incident(std::string incident_id, std::vector<std::string> custom_tags = {});

  //! The comment texts on an alert / incident, oldest first; empty when it is unknown.
  std::vector<std::string> alert_comments(const std::string& alert_id) const;
  std::vector<std::string> incident_comments(const std::string& incident_id) const;
  //! The incident's customTags; empty when it is unknown.
  std::vector<std::string> incident_tags(const std::string& incident_id) const;

  //! The application loses `permission` (e.g. kAlertReadWrite) until allow_all(): requests needing it get 403.
  //! A read is refused only when both the Read.All and the ReadWrite.All permission are denied, since either
  //! grants it. Unknown names are remembered and have no effect.
  void deny(std::string permission);
  //! Grants every permission again.
  void allow_all();

  //! The next `count` requests get `status` (429, 500, 503, …) with a Graph error body, and a Retry-After header
  //! when `retry_after` is not empty. They change nothing.
  void fail_next(int status, int count = 1, std::string retry_after = "");
  //! The next request is answered normally after `delay`.
  void delay_next(std::chrono::milliseconds delay);

  //! Every request received, in arrival order. Authorization headers hold tokens: do not print them.
  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;

 private:
  struct Comment {
    std::string text;
    std::string author;
    std::string created;  // ISO 8601 UTC
  };
  struct Alert {
    std::string incident_id;
    std::vector<Comment> comments;
  };
  struct Incident {
    std::vector<std::string> tags;
    std::vector<Comment> comments;
    std::string created;
    std::string last_update;
  };
  //! A success body, or an error (code not empty) that serve() wraps in Graph's shape.
  struct Reply {
    int status = 200;
    std::string body;
    std::string code;
    std::string message;
  };

  void serve(const httplib::Request& request, httplib::Response& response);
  Reply route(const httplib::Request& request);
  //! nullopt when allowed, else the 403 reply. Any one of `permissions` grants the request.
  std::optional<Reply> check_permission(std::initializer_list<std::string_view> permissions) const;
  Reply get_alert(const std::string& alert_id) const;
  //! GET /security/alerts_v2 or /security/incidents: {"@odata.context","value":[the first `top` items]}.
  Reply list(bool incidents, int top) const;
  Reply get_incident(const std::string& incident_id) const;
  //! POST …/alerts_v2/{id}/comments or …/incidents/{id}/comments: 200 with the full updated list.
  Reply post_comment(bool on_incident, const std::string& id, const httplib::Request& request);
  Reply patch_incident(const std::string& incident_id, const httplib::Request& request);
  //! Call with mutex_ held.
  std::string alert_json(const std::string& alert_id, const Alert& alert) const;
  std::string incident_json(const std::string& incident_id, const Incident& incident) const;
  std::string comments_json(std::string_view context_path, const std::vector<Comment>& comments) const;

  const FakeEntra& entra_;
  ScriptedFaults faults_;  // thread-safe on its own

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, Alert, std::less<>> alerts_;
  std::map<std::string, Incident, std::less<>> incidents_;
  std::set<std::string, std::less<>> denied_;

  LoopbackServer server_;  // last: destroyed first, while the state its handlers use is still alive
};

}  // namespace sb::test
