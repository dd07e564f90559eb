// The fake Logs Ingestion endpoint: bearer check against FakeEntra, DCR/stream routing, size limits, gzip, rows.
#include "support/fake_logs_ingestion.hpp"

#include <httplib.h>
#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <utility>

#include "core/json_document.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "support/fake_http.hpp"
#include "support/gunzip.hpp"
#include "support/test_support.hpp"

namespace sb::test {
namespace {

//! Where the pre-routing handler parks Content-Encoding so that cpp-httplib leaves the body as sent.
constexpr const char* kParkedEncoding = "X-Fake-Parked-Content-Encoding";
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kHttpNoContent = 204;
constexpr int kHttpBadRequest = 400;
constexpr int kHttpUnauthorized = 401;
constexpr int kHttpForbidden = 403;
constexpr int kHttpNotFound = 404;
constexpr int kHttpTooLarge = 413;
constexpr int kHttpUnsupportedMedia = 415;
//! Inflating stops here whatever max_bytes says, so a gzip bomb cannot exhaust the test's memory.
constexpr size_t kInflateHardCap = 256UL * 1024 * 1024;
constexpr size_t kBytesPerMiB = 1024UL * 1024;

//! Why `value` does not fit a column declared `type`, or "" when it does.
std::string type_mismatch(simdjson::dom::element value, std::string_view type) {
  if (value.is_null() || type == "dynamic") return {};
  if (type == "int") return value.is_int64() || value.is_uint64() ? "" : "an integer";
  if (type == "string") return value.is_string() ? "" : "a string";
  if (type == "datetime") {
    static const std::regex kIso8601(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) return "an ISO-8601 date-time string";
    return std::regex_match(text.begin(), text.end(), kIso8601) ? "" : "an ISO-8601 date-time string";
  }
  return "a value of type " + std::string(type);
}

std::string too_large_message(size_t max_bytes, size_t provided) {
  // The service's own text for its 2^20-byte limit (peers.md §0.1).
  const std::string size_name =
      max_bytes % kBytesPerMiB == 0 ? fmt::format(" ({} MB)", max_bytes / kBytesPerMiB) : std::string();
  return fmt::format("Maximum allowed content length: {} bytes{}. Provided content length: {} bytes.", max_bytes,
                     size_name, provided);
}

std::string scripted_code(int status) {
  switch (status) {
    case 429: return "TooManyRequests";
    case 500: return "InternalServerError";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "ScriptedFailure";
  }
}

}  // namespace

FakeLogsIngestion::FakeLogsIngestion(const FakeEntra& entra, std::string dcr_immutable_id, std::string stream)
    : entra_(entra),
      dcr_(std::move(dcr_immutable_id)),
      stream_(std::move(stream)),
      declaration_(load_declaration("Custom-SpectraDetectLogs")) {
  // Runs before cpp-httplib reads the body; without Content-Encoding it does not inflate it. The Request is the
  // server's own non-const object, only handed to us as const.
  server_.raw().set_pre_routing_handler([](const httplib::Request& request, httplib::Response&) {
    auto& headers = const_cast<httplib::Request&>(request).headers;
    const auto [first, last] = headers.equal_range("Content-Encoding");
    std::vector<std::string> values;
    for (auto it = first; it != last; ++it) values.push_back(it->second);
    headers.erase(first, last);
    for (auto& value : values) headers.emplace(kParkedEncoding, std::move(value));
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.handle("*", ".*", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
}

FakeLogsIngestion::~FakeLogsIngestion() {
  faults_.stop();
  server_.stop();
}

void FakeLogsIngestion::start() {
  server_.start();
}

FakeLogsIngestion::Declaration FakeLogsIngestion::load_declaration(const std::string& stream) {
  const auto path = std::filesystem::path(SB_SOURCE_DIR) / "deploy" / "SpectraDetectLogs.dcr-stream.json";
  const std::string text = read_text(path);
  simdjson::dom::parser parser;
  simdjson::dom::array columns;
  if (parser.parse(text)[stream]["columns"].get_array().get(columns) != simdjson::SUCCESS) {
    throw std::runtime_error("fake logs ingestion: no stream " + stream + " in " + path.string());
  }
  Declaration declaration;
  for (const auto column : columns) {
    declaration.emplace_back(std::string(column["name"].get_string().value()),
                             std::string(column["type"].get_string().value()));
  }
  return declaration;
}

std::string FakeLogsIngestion::url() const {
  return server_.url();
}

std::string FakeLogsIngestion::ingest_target() const {
  return fmt::format("/dataCollectionRules/{}/streams/{}?api-version={}", dcr_, stream_, kApiVersion);
}

void FakeLogsIngestion::fail_next(int status, int count, std::string retry_after) {
  faults_.fail_next(status, count, std::move(retry_after));
}

void FakeLogsIngestion::delay_next(std::chrono::milliseconds delay) {
  faults_.delay_next(delay);
}

void FakeLogsIngestion::reject_rows_containing(std::string needle, int status, std::string code) {
  const std::lock_guard lock(mutex_);
  rejections_.push_back(Rejection{std::move(needle), status, std::move(code)});
}

void FakeLogsIngestion::clear_rejections() {
  const std::lock_guard lock(mutex_);
  rejections_.clear();
}

void FakeLogsIngestion::set_max_bytes(size_t max_bytes) {
  const std::lock_guard lock(mutex_);
  max_bytes_ = max_bytes;
}

void FakeLogsIngestion::forbid(bool forbidden) {
  const std::lock_guard lock(mutex_);
  forbidden_ = forbidden;
}

std::vector<std::string> FakeLogsIngestion::accepted_rows() const {
  const std::lock_guard lock(mutex_);
  return accepted_rows_;
}

std::vector<std::string> FakeLogsIngestion::accepted_record_ids() const {
  const std::lock_guard lock(mutex_);
  return accepted_record_ids_;
}

std::vector<FakeIngestRequest> FakeLogsIngestion::ingest_requests() const {
  const std::lock_guard lock(mutex_);
  return ingest_requests_;
}

std::vector<RecordedRequest> FakeLogsIngestion::requests() const {
  auto requests = server_.requests();
  for (auto& request : requests) {
    const auto [first, last] = request.headers.equal_range(kParkedEncoding);
    std::vector<std::string> values;
    for (auto it = first; it != last; ++it) values.push_back(it->second);
    request.headers.erase(first, last);
    for (auto& value : values) request.headers.emplace("Content-Encoding", std::move(value));
  }
  return requests;
}

void FakeLogsIngestion::serve(const httplib::Request& request, httplib::Response& response) {
  FakeIngestRequest record;
  record.gzip = core::ascii_lower(request.get_header_value(kParkedEncoding)) == "gzip";
  record.wire_bytes = request.body.size();
  record.client_request_id = request.get_header_value("x-ms-client-request-id");

  Outcome outcome;
  std::vector<std::string> rows;
  std::vector<std::string> record_ids;
  const auto script = faults_.next();
  if (script && script->failure()) {
    outcome = {script->status, scripted_code(script->status),
               fmt::format("Fake Logs Ingestion: scripted failure {}.", script->status)};
    if (!script->retry_after.empty()) response.set_header("Retry-After", script->retry_after);
  } else {
    if (script) faults_.wait(script->delay);
    outcome = check(request, record, rows, record_ids);
  }

  response.set_header("x-ms-request-id", random_guid());
  if (!record.client_request_id.empty()) response.set_header("x-ms-client-request-id", record.client_request_id);
  response.status = outcome.status;
  if (outcome.status != kHttpNoContent) {
    response.set_header("x-ms-error-code", outcome.code);
    std::string body;
    core::JsonWriter w(body);
    w.begin_object().key("error").begin_object().key("code").value(outcome.code);
    w.key("message").value(outcome.message).end_object().end_object();
    response.set_content(body, kJsonType);
  }

  record.status = outcome.status;
  record.error_code = outcome.status == kHttpNoContent ? std::string() : outcome.code;
  const std::lock_guard lock(mutex_);
  ingest_requests_.push_back(std::move(record));
  if (outcome.status == kHttpNoContent) {
    for (auto& row : rows) accepted_rows_.push_back(std::move(row));
    for (auto& id : record_ids) accepted_record_ids_.push_back(std::move(id));
  }
}

FakeLogsIngestion::Outcome FakeLogsIngestion::check(const httplib::Request& request, FakeIngestRequest& record,
                                                    std::vector<std::string>& rows,
                                                    std::vector<std::string>& record_ids) {
  static const std::regex kRoute("/dataCollectionRules/([^/]+)/streams/([^/]+)");
  std::smatch route;
  if (request.method != "POST" || !std::regex_match(request.path, route, kRoute)) {
    return {kHttpNotFound, "NotFound",
            fmt::format("No route for {} {}; expected POST /dataCollectionRules/{{id}}/streams/{{stream}}.",
                        request.method, request.path)};
  }

  size_t max_bytes = 0;
  bool forbidden = false;
  std::vector<Rejection> rejections;
  {
    const std::lock_guard lock(mutex_);
    max_bytes = max_bytes_;
    forbidden = forbidden_;
    rejections = rejections_;
  }

  const std::string token = bearer_token(request);
  if (token.empty() || !entra_.valid(token, kAudience)) {
    return {kHttpUnauthorized, "InvalidToken",
            fmt::format("The bearer token is missing, expired, revoked or not issued for audience {}.", kAudience)};
  }
  if (forbidden) {
    return {kHttpForbidden, "AuthorizationFailed",
            fmt::format("The client does not have authorization to perform action "
                        "'Microsoft.Insights/Telemetry/Write' on data collection rule '{}' (role Monitoring Metrics "
                        "Publisher).",
                        dcr_)};
  }
  if (route[1].str() != dcr_) {
    return {kHttpNotFound, "NotFound", fmt::format("Data collection rule '{}' was not found.", route[1].str())};
  }
  if (route[2].str() != stream_) {
    return {kHttpNotFound, "StreamNotFound",
            fmt::format("Stream '{}' is not declared in data collection rule '{}'.", route[2].str(), dcr_)};
  }
  const std::string api_version = request.get_param_value("api-version");
  if (api_version != kApiVersion) {
    return {kHttpBadRequest, "InvalidApiVersion",
            fmt::format("The api-version '{}' is not supported; use {}.", api_version, kApiVersion)};
  }
  const std::string content_type = request.get_header_value("Content-Type");
  if (media_type(content_type) != "application/json") {
    return {kHttpUnsupportedMedia, "UnsupportedMediaType",
            fmt::format("Content-Type '{}' is not supported; send application/json.", content_type)};
  }
  const std::string encoding = core::ascii_lower(trim_blanks(request.get_header_value(kParkedEncoding)));
  if (!encoding.empty() && encoding != "gzip" && encoding != "identity") {
    return {kHttpUnsupportedMedia, "UnsupportedMediaType",
            fmt::format("Content-Encoding '{}' is not supported; send gzip or no encoding.", encoding)};
  }
  if (record.wire_bytes > max_bytes) {
    return {kHttpTooLarge, "ContentLengthLimitExceeded", too_large_message(max_bytes, record.wire_bytes)};
  }

  std::string inflated;
  if (record.gzip) {
    auto body = gunzip(request.body, kInflateHardCap);
    if (!body) return {kHttpBadRequest, "InvalidContent", "The request body is not valid gzip."};
    inflated = std::move(*body);
  } else {
    inflated = request.body;
  }
  record.json_bytes = inflated.size();
  if (record.json_bytes > max_bytes) {
    return {kHttpTooLarge, "ContentLengthLimitExceeded", too_large_message(max_bytes, record.json_bytes)};
  }

  simdjson::dom::parser dom_parser;
  const auto parsed = core::parse_json(dom_parser, inflated);
  if (!parsed) {
    return {kHttpBadRequest, "InvalidContent", "The request body is malformed JSON: " + parsed.error().message};
  }
  simdjson::dom::array array;
  if (parsed.value().get_array().get(array) != simdjson::SUCCESS) {
    return {kHttpBadRequest, "InvalidContent", "The request body must be a JSON array of objects."};
  }
  record.rows = array.size();
  size_t row_number = 0;
  for (const auto element : array) {
    if (!element.is_object()) {
      return {kHttpBadRequest, "InvalidContent", "Every element of the request body must be a JSON object."};
    }
    const simdjson::dom::object row = element.get_object().value_unsafe();
    for (const auto field : row) {
      const auto column = std::find_if(declaration_.begin(), declaration_.end(),
                                       [&](const auto& declared) { return declared.first == field.key; });
      if (column == declaration_.end()) {
        return {kHttpBadRequest, "InvalidContent",
                fmt::format("Row {} has the column '{}', which stream {} does not declare.", row_number, field.key,
                            stream_)};
      }
      if (const auto expected = type_mismatch(field.value, column->second); !expected.empty()) {
        return {kHttpBadRequest, "InvalidContent",
                fmt::format("Row {}: column '{}' is declared {} and takes {}.", row_number, field.key, column->second,
                            expected)};
      }
    }
    ++row_number;
    std::string_view id;
    if (element["record_id"].get_string().get(id) == simdjson::SUCCESS) record_ids.emplace_back(id);
  }

  // The DOM has validated everything; On-Demand gives each row's text exactly as sent.
  const simdjson::padded_string padded(inflated);
  simdjson::ondemand::parser ondemand_parser;
  auto document = ondemand_parser.iterate(padded);
  simdjson::ondemand::array rows_array;
  if (document.get_array().get(rows_array) != simdjson::SUCCESS) {
    return {kHttpBadRequest, "InvalidContent", "The request body must be a JSON array of objects."};
  }
  for (auto element : rows_array) {
    simdjson::ondemand::object object;
    std::string_view raw;
    if (element.get_object().get(object) != simdjson::SUCCESS || object.raw_json().get(raw) != simdjson::SUCCESS) {
      return {kHttpBadRequest, "InvalidContent", "Every element of the request body must be a JSON object."};
    }
    rows.emplace_back(trim_blanks(raw));
  }

  for (const auto& rejection : rejections) {
    for (const auto& row : rows) {
      if (row.find(rejection.needle) != std::string::npos) {
        return {rejection.status, rejection.code,
                fmt::format("The request was refused: row {} was rejected.", &row - rows.data())};
      }
    }
  }
  return {kHttpNoContent, {}, {}};
}

}  // namespace sb::test
