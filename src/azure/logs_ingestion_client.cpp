// Status handling follows ARCHITECTURE.md: 2xx delivered; 413 split; 400 find the bad row; 403/404 and other
// 4xx dead-letter (with x-ms-request-id and x-ms-error-code); 401 one new token; the rest retried later.
#include "azure/logs_ingestion_client.hpp"

#include <simdjson.h>

#include "azure/authorized_send.hpp"
#include "core/form_encoding.hpp"
#include "core/json_document.hpp"
#include "core/request_id.hpp"
#include "core/service_url.hpp"

namespace sb::azure {
namespace {

constexpr size_t kMaxMessageChars = 500;

//! error.code and error.message of an Azure.Core ErrorResponse body, when it is one.
void read_error_body(const std::string& body, UploadResult& result) {
  simdjson::dom::parser parser;
  auto document = core::parse_json(parser, body);
  simdjson::dom::object error;
  if (!document || (*document)["error"].get_object().get(error) != simdjson::SUCCESS) {
    result.service_message = body.substr(0, kMaxMessageChars);
    return;
  }
  std::string_view text;
  if (result.error_code.empty() && error["code"].get_string().get(text) == simdjson::SUCCESS) {
    result.error_code = std::string(text);
  }
  if (error["message"].get_string().get(text) == simdjson::SUCCESS) {
    result.service_message = std::string(text.substr(0, kMaxMessageChars));
  }
}

//! Logs Ingestion refuses rows, not the caller, with every 4xx but 401 (refused twice: the token), 408 and 429: a
//! 403 (the role is missing on this DCR) or a 404 (no such DCR or stream) dead-letters the rows too.
core::ErrorKind kind_of(long status) {
  if (status == http::kUnauthorized) return core::ErrorKind::kRefusedForGood;
  return http::is_refusal_status(status) ? core::ErrorKind::kRefusedItem : core::ErrorKind::kRetryLater;
}

//! "HTTP 403 AuthorizationFailed: … (fix) [x-ms-request-id …]".
std::string describe_refusal(const UploadResult& result) {
  std::string text = "HTTP " + std::to_string(result.status);
  if (!result.error_code.empty()) text += " " + result.error_code;
  if (!result.service_message.empty()) text += ": " + result.service_message;
  if (const auto hint = logs_ingestion_hint(result.status); !hint.empty()) text += " (" + hint + ")";
  if (!result.request_id.empty()) text += " [x-ms-request-id " + result.request_id + "]";
  return text;
}

}  // namespace

std::string logs_ingestion_hint(long status) {
  switch (status) {
    case http::kForbidden:
      return "grant the Monitoring Metrics Publisher role on the data collection rule to the identity in use";
    case http::kNotFound:
      return "check ingest.logs_ingestion.endpoint, dcr_immutable_id and stream (the DCR's immutable id and a "
             "stream declared in it)";
    case http::kUnauthorized:
      return "the token was refused: check azure.tenant_id and, for a sovereign cloud, the token scope";
    default: return {};
  }
}

core::Result<std::unique_ptr<LogsIngestionClient>> LogsIngestionClient::create(LogsIngestionTarget target,
                                                                               std::shared_ptr<TokenProvider> tokens,
                                                                               std::shared_ptr<http::HttpClient> http) {
  auto endpoint = core::parse_service_url(target.endpoint, "ingest.logs_ingestion.endpoint");
  if (!endpoint) return endpoint.error();
  if (target.dcr_immutable_id.empty()) {
    return core::make_error("ingest.logs_ingestion.dcr_immutable_id is empty (the DCR's immutable id, dcr-…)");
  }
  if (target.stream.empty()) return core::make_error("ingest.logs_ingestion.stream is empty");
  std::string url = endpoint->base + "/dataCollectionRules/";
  core::append_percent_encoded(url, target.dcr_immutable_id);
  url += "/streams/";
  core::append_percent_encoded(url, target.stream);
  url += "?api-version=";
  url += kLogsIngestionApiVersion;
  return std::unique_ptr<LogsIngestionClient>(
      new LogsIngestionClient(std::move(target), std::move(tokens), std::move(http), std::move(url)));
}

LogsIngestionClient::LogsIngestionClient(LogsIngestionTarget target, std::shared_ptr<TokenProvider> tokens,
                                         std::shared_ptr<http::HttpClient> http, std::string url)
    : target_(std::move(target)), tokens_(std::move(tokens)), http_(std::move(http)), url_(std::move(url)) {}

UploadResult LogsIngestionClient::upload(std::string body, bool gzip) {
  UploadResult result;
  result.client_request_id = core::new_request_id();
  http::Request request;
  request.method = "POST";
  request.url = url_;
  request.body = std::move(body);
  request.headers = {{"Content-Type", "application/json"}, {"x-ms-client-request-id", result.client_request_id}};
  if (gzip) request.headers.push_back({"Content-Encoding", "gzip"});

  auto response = send_authorized(*http_, *tokens_, target_.scope, std::move(request));
  if (!response) {
    result.error = response.error();
    return result;
  }
  result.status = response->status;
  if (const auto id = response->header("x-ms-request-id")) result.request_id = std::string(*id);
  if (const auto code = response->header("x-ms-error-code")) result.error_code = std::string(*code);
  if (http::is_success(response->status)) return result;
  read_error_body(response->body, result);
  std::string message = describe_refusal(result);
  if (response->status == http::kUnauthorized) {
    message = "the token for " + target_.scope +
              " was refused twice (HTTP 401): " + logs_ingestion_hint(http::kUnauthorized) +
              (result.service_message.empty() ? "" : "; the service said: " + result.service_message);
  }
  result.error = core::make_error(std::move(message), kind_of(response->status));
  return result;
}

}  // namespace sb::azure
