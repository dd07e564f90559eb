// Microsoft Graph security API (microsoft.md §2): read an alert (its incident and comments), read an incident
// (tags and comments), post a comment on either, set an incident's tags.
#pragma once

#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "azure/access_token.hpp"
#include "core/result.hpp"
#include "core/token_bucket.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

inline constexpr std::string_view kGraphScope = "https://graph.microsoft.com/.default";

struct GraphOptions {
  std::string endpoint = "https://graph.microsoft.com";
  std::string scope{kGraphScope};
  //! "Any operation on alert …: 150 requests per minute per app per tenant" (§2.5); 0 = unlimited.
  double requests_per_minute = 150;
  std::stop_token stop;  // ends a wait for the rate budget
};

struct GraphAlert {
  std::string id;
  std::string incident_id;  // empty while the alert belongs to no incident
  std::vector<std::string> comments;
};

struct GraphIncident {
  std::string id;
  std::vector<std::string> custom_tags;
  std::vector<std::string> comments;
};

//! Thread-safe. Errors by kind: kRefusedItem when Graph refuses this one call (404 and the other 4xx but 401, 403,
//! 408 and 429: set that enrichment aside, go on); kRetryLater for no answer or 5xx after the retries;
//! kRefusedForGood for a 403 (naming the permission the app lacks) or a token refused twice.
class GraphClient {
 public:
  static core::Result<std::unique_ptr<GraphClient>> create(GraphOptions options, std::shared_ptr<TokenProvider> tokens,
                                                           std::shared_ptr<http::HttpClient> http);

  core::Result<GraphAlert> get_alert(const std::string& alert_id);
  core::Result<GraphIncident> get_incident(const std::string& incident_id);
  core::Status post_alert_comment(const std::string& alert_id, const std::string& comment);
  core::Status post_incident_comment(const std::string& incident_id, const std::string& comment);
  //! Lists one alert (`incidents` false) or one incident: proves the token and the read permission (doctor).
  core::Status check_read_access(bool incidents);
  //! PATCH customTags: the whole list (Graph replaces the array), so pass the union with the existing tags.
  core::Status set_incident_tags(const std::string& incident_id, const std::vector<std::string>& tags);

 private:
  GraphClient(GraphOptions options, std::shared_ptr<TokenProvider> tokens, std::shared_ptr<http::HttpClient> http,
              std::string base);
  //! Sends with a bearer token (one new token after a 401), within the rate budget; the response when 2xx.
  core::Result<http::Response> call(std::string method, const std::string& path, std::string body,
                                    std::string_view permission);

  GraphOptions options_;
  std::shared_ptr<TokenProvider> tokens_;
  std::shared_ptr<http::HttpClient> http_;
  std::string base_;  // endpoint + "/v1.0"
  core::TokenBucket budget_;
};

}  // namespace sb::azure
