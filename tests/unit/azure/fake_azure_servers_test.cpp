// The fake Azure servers themselves (FakeEntra, FakeLogsIngestion), driven with cpp-httplib's client: each token
// flow and one of its errors, token validity, and the Logs Ingestion checks a client depends on.
#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>
#include <zlib.h>

#include <array>
#include <chrono>
#include <string>
#include <thread>

#include "support/fake_entra.hpp"
#include "support/fake_logs_ingestion.hpp"

namespace sb::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFormType = "application/x-www-form-urlencoded";
constexpr const char* kMonitorScope = "https%3A%2F%2Fmonitor.azure.com%2F.default";
constexpr const char* kMonitor = "https://monitor.azure.com";

std::string gzip(std::string_view text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

//! The string field `key` of a JSON object body ("" when absent or not a string).
std::string string_field(const std::string& body, const char* key) {
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(body)[key].get_string().get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

class FakeAzureServersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    entra_.start();
    logs_.start();
  }

  std::string token_path() const { return "/" + entra_.options().tenant_id + "/oauth2/v2.0/token"; }
  std::string secret_form(const std::string& secret, const std::string& scope = kMonitorScope) const {
    return "grant_type=client_credentials&client_id=" + entra_.options().client_id + "&client_secret=" + secret +
           "&scope=" + scope;
  }
  //! A monitor token by client credentials.
  std::string monitor_token() {
    httplib::Client client(entra_.url());
    const auto reply = client.Post(token_path(), secret_form(entra_.options().client_secret), kFormType);
    EXPECT_TRUE(reply && reply->status == 200);
    return reply ? string_field(reply->body, "access_token") : std::string();
  }
  httplib::Result ingest(const std::string& body, const std::string& token, bool gzipped = false,
                         const std::string& target = {}) {
    httplib::Headers headers{{"x-ms-client-request-id", "0f8fad5b-d9cb-469f-a165-70867728950e"}};
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (gzipped) headers.emplace("Content-Encoding", "gzip");
    httplib::Client client(logs_.url());
    return client.Post(target.empty() ? logs_.ingest_target() : target, headers, body, "application/json");
  }

  FakeEntra entra_;
  FakeLogsIngestion logs_{entra_};
};

TEST_F(FakeAzureServersTest, FakeEntraClientSecretIssuesATokenForTheScopesResource) {
  httplib::Client client(entra_.url());
  const auto reply = client.Post(token_path(), secret_form(entra_.options().client_secret), kFormType);
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  simdjson::dom::parser parser;
  const auto body = parser.parse(reply->body);
  EXPECT_EQ(std::string_view(body["token_type"].get_string().value()), "Bearer");
  EXPECT_EQ(body["expires_in"].get_int64().value(), 3599);  // a number, not a string
  EXPECT_EQ(body["ext_expires_in"].get_int64().value(), 3599);
  const std::string token(body["access_token"].get_string().value());
  EXPECT_TRUE(entra_.valid(token, kMonitor));
  EXPECT_TRUE(entra_.valid(token, "https://monitor.azure.com/"));
  EXPECT_FALSE(entra_.valid(token, "https://graph.microsoft.com"));
  EXPECT_FALSE(entra_.valid("eyJ0eXAi.fake.1.forged", kMonitor));
  EXPECT_EQ(entra_.token_requests(), 1U);
  EXPECT_EQ(entra_.issued_tokens().size(), 1U);
}

TEST_F(FakeAzureServersTest, FakeEntraClientCredentialErrorsHaveEntrasShape) {
  httplib::Client client(entra_.url());
  const auto wrong_secret = client.Post(token_path(), secret_form("not-the-secret"), kFormType);
  ASSERT_TRUE(wrong_secret);
  EXPECT_EQ(wrong_secret->status, 401);
  simdjson::dom::parser parser;
  const auto body = parser.parse(wrong_secret->body);
  EXPECT_EQ(std::string_view(body["error"].get_string().value()), "invalid_client");
  EXPECT_TRUE(std::string_view(body["error_description"].get_string().value()).starts_with("AADSTS7000215: "));
  EXPECT_EQ(body["error_codes"].at(0).get_int64().value(), 7000215);
  for (const char* key : {"timestamp", "trace_id", "correlation_id"})
    EXPECT_FALSE(string_field(wrong_secret->body, key).empty()) << key;

  const auto wrong_tenant = client.Post("/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
                                        secret_form(entra_.options().client_secret), kFormType);
  ASSERT_TRUE(wrong_tenant);
  EXPECT_EQ(wrong_tenant->status, 400);
  EXPECT_TRUE(string_field(wrong_tenant->body, "error_description").starts_with("AADSTS90002: "));

  // Two scopes ("+" is a space), and a scope without /.default.
  for (const std::string& scope : {std::string(kMonitorScope) + "+https%3A%2F%2Fgraph.microsoft.com%2F.default",
                                   std::string("https%3A%2F%2Fmonitor.azure.com")}) {
    const auto bad_scope = client.Post(token_path(), secret_form(entra_.options().client_secret, scope), kFormType);
    ASSERT_TRUE(bad_scope);
    EXPECT_EQ(bad_scope->status, 400);
    EXPECT_EQ(string_field(bad_scope->body, "error"), "invalid_scope");
  }
  EXPECT_EQ(entra_.token_requests(), 0U);
}

TEST_F(FakeAzureServersTest, FakeEntraFederatedAssertionIsAccepted) {
  httplib::Client client(entra_.url());
  const std::string form = "grant_type=client_credentials&client_id=" + entra_.options().client_id +
                           "&scope=" + kMonitorScope +
                           "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                           "&client_assertion=";
  const auto reply = client.Post(token_path(), form + entra_.options().federated_token, kFormType);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(entra_.valid(string_field(reply->body, "access_token"), kMonitor));

  const auto wrong = client.Post(token_path(), form + "other.federated.jwt", kFormType);
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(string_field(wrong->body, "error"), "invalid_client");
}

TEST_F(FakeAzureServersTest, FakeEntraAppServiceManagedIdentity) {
  const std::string endpoint = entra_.app_service_endpoint();
  ASSERT_TRUE(endpoint.starts_with(entra_.url()));
  const std::string path = endpoint.substr(entra_.url().size());
  httplib::Client client(entra_.url());
  const std::string query = "?resource=https://storage.azure.com/&api-version=2019-08-01";
  const auto reply = client.Get(path + query, {{"X-IDENTITY-HEADER", entra_.options().identity_header}});
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  simdjson::dom::parser parser;
  const auto body = parser.parse(reply->body);
  EXPECT_TRUE(body["expires_on"].is_string());  // epoch seconds as a string
  const auto expires_on = std::stoll(std::string(body["expires_on"].get_string().value()));
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(expires_on - now), 3599.0, 5.0);
  EXPECT_EQ(std::string_view(body["resource"].get_string().value()), "https://storage.azure.com/");
  EXPECT_EQ(std::string_view(body["token_type"].get_string().value()), "Bearer");
  EXPECT_EQ(std::string_view(body["client_id"].get_string().value()), entra_.options().client_id);
  EXPECT_TRUE(entra_.valid(string_field(reply->body, "access_token"), "https://storage.azure.com"));

  const auto no_header = client.Get(path + query);
  ASSERT_TRUE(no_header);
  EXPECT_EQ(no_header->status, 400);
  EXPECT_NE(no_header->body.find("X-IDENTITY-HEADER"), std::string::npos);
}

TEST_F(FakeAzureServersTest, FakeEntraImdsManagedIdentity) {
  httplib::Client client(entra_.imds_endpoint());
  const std::string target =
      std::string(FakeEntra::kImdsPath) + "?api-version=2018-02-01&resource=https://monitor.azure.com/";
  const auto reply = client.Get(target, {{"Metadata", "true"}});
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  simdjson::dom::parser parser;
  const simdjson::dom::object body = parser.parse(reply->body).get_object();
  for (const auto field : body) EXPECT_TRUE(field.value.is_string()) << field.key;
  EXPECT_EQ(std::string_view(body["refresh_token"].get_string().value()), "");
  EXPECT_EQ(std::string_view(body["expires_in"].get_string().value()), "3599");
  EXPECT_FALSE(std::string_view(body["not_before"].get_string().value()).empty());
  EXPECT_TRUE(entra_.valid(std::string(body["access_token"].get_string().value()), kMonitor));

  for (const httplib::Headers& headers : {httplib::Headers{}, httplib::Headers{{"Metadata", "True"}}}) {
    const auto refused = client.Get(target, headers);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(refused->body,
              R"({"error":"invalid_request","error_description":"Required metadata header not specified"})");
  }
}

TEST_F(FakeAzureServersTest, FakeEntraRevokedAndExpiredTokensAreInvalid) {
  const std::string first = monitor_token();
  ASSERT_TRUE(entra_.valid(first, kMonitor));
  entra_.revoke_all();
  EXPECT_FALSE(entra_.valid(first, kMonitor));
  const std::string second = monitor_token();
  EXPECT_TRUE(entra_.valid(second, kMonitor));

  entra_.set_lifetime(0s);
  const std::string expired = monitor_token();
  EXPECT_FALSE(entra_.valid(expired, kMonitor));
  EXPECT_EQ(entra_.token_requests(), 3U);
}

TEST_F(FakeAzureServersTest, FakeEntraScriptedFaultsComeInArrivalOrder) {
  entra_.fail_next(429, 1, "7");
  entra_.fail_next(503);
  entra_.delay_next(150ms);
  httplib::Client client(entra_.url());
  const auto throttled = client.Post(token_path(), secret_form(entra_.options().client_secret), kFormType);
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(throttled->get_header_value("Retry-After"), "7");
  const auto unavailable =
      client.Get(std::string(FakeEntra::kImdsPath) + "?api-version=2018-02-01&resource=x", {{"Metadata", "true"}});
  ASSERT_TRUE(unavailable);
  EXPECT_EQ(unavailable->status, 503);
  const auto started = std::chrono::steady_clock::now();
  const auto slow = client.Post(token_path(), secret_form(entra_.options().client_secret), kFormType);
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
  EXPECT_EQ(entra_.token_requests(), 1U);
  EXPECT_EQ(entra_.requests().size(), 3U);
}

TEST_F(FakeAzureServersTest, FakeLogsIngestionAcceptsAGzippedArrayWith204) {
  const std::string rows = R"([{"record_id":"r-1","TimeGenerated":"2026-11-23T10:00:00Z","n":1},)"
                           R"( {"record_id":"r-2","nested":{"a":[1,2]}} ])";
  const auto reply = ingest(gzip(rows), monitor_token(), true);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 204) << reply->body;
  EXPECT_TRUE(reply->body.empty());
  EXPECT_EQ(reply->get_header_value("x-ms-request-id").size(), 36U);
  EXPECT_EQ(logs_.accepted_rows(),
            (std::vector<std::string>{R"({"record_id":"r-1","TimeGenerated":"2026-11-23T10:00:00Z","n":1})",
                                      R"({"record_id":"r-2","nested":{"a":[1,2]}})"}));
  EXPECT_EQ(logs_.accepted_record_ids(), (std::vector<std::string>{"r-1", "r-2"}));
  const auto requests = logs_.ingest_requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_TRUE(requests[0].gzip);
  EXPECT_EQ(requests[0].json_bytes, rows.size());
  EXPECT_EQ(requests[0].wire_bytes, gzip(rows).size());
  EXPECT_EQ(requests[0].rows, 2U);
  EXPECT_EQ(requests[0].client_request_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
  EXPECT_EQ(logs_.requests().at(0).header("Content-Encoding"), "gzip");
}

TEST_F(FakeAzureServersTest, FakeLogsIngestionRefusesMissingWrongAudienceAndRevokedTokens) {
  const auto anonymous = ingest("[]", "");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("x-ms-error-code"), "InvalidToken");
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(parser.parse(anonymous->body)["error"]["code"].get_string().value()), "InvalidToken");

  httplib::Client client(entra_.url());
  const auto graph = client.Post(
      token_path(), secret_form(entra_.options().client_secret, "https%3A%2F%2Fgraph.microsoft.com%2F.default"),
      kFormType);
  ASSERT_TRUE(graph);
  const auto wrong_audience = ingest("[]", string_field(graph->body, "access_token"));
  ASSERT_TRUE(wrong_audience);
  EXPECT_EQ(wrong_audience->status, 401);

  const std::string token = monitor_token();
  const auto accepted = ingest("[]", token);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 204);
  entra_.revoke_all();
  const auto revoked = ingest("[]", token);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 401);
}

TEST_F(FakeAzureServersTest, FakeLogsIngestionAnswers413OverTheLimitOnTheWireAndInflated) {
  const std::string token = monitor_token();
  // ~1.1 MB of JSON: too large as sent, and too large once inflated although its gzip is tiny.
  std::string big = R"([{"record_id":"big","blob":")" + std::string(1'100'000, 'x') + R"("}])";
  for (const bool gzipped : {false, true}) {
    const auto reply = ingest(gzipped ? gzip(big) : big, token, gzipped);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 413);
    EXPECT_EQ(reply->get_header_value("x-ms-error-code"), "ContentLengthLimitExceeded");
    simdjson::dom::parser parser;
    EXPECT_EQ(std::string_view(parser.parse(reply->body)["error"]["message"].get_string().value()),
              "Maximum allowed content length: 1048576 bytes (1 MB). Provided content length: " +
                  std::to_string(big.size()) + " bytes.");
  }
  const auto requests = logs_.ingest_requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_LT(requests[1].wire_bytes, 1'048'576U);
  EXPECT_EQ(requests[1].json_bytes, big.size());
  EXPECT_TRUE(logs_.accepted_rows().empty());
}

TEST_F(FakeAzureServersTest, FakeLogsIngestionScriptedThrottleCarriesRetryAfter) {
  const std::string token = monitor_token();
  logs_.fail_next(429, 1, "3");
  const auto throttled = ingest(R"([{"record_id":"a"}])", token);
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(throttled->get_header_value("Retry-After"), "3");
  EXPECT_EQ(throttled->get_header_value("x-ms-error-code"), "TooManyRequests");
  EXPECT_FALSE(throttled->get_header_value("x-ms-request-id").empty());
  const auto retried = ingest(R"([{"record_id":"a"}])", token);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 204);
  EXPECT_EQ(logs_.accepted_record_ids(), (std::vector<std::string>{"a"}));
}

TEST_F(FakeAzureServersTest, FakeLogsIngestionChecksRouteVersionTypeEncodingAndBody) {
  const std::string token = monitor_token();
  const auto code_of = [](const httplib::Result& reply) {
    return reply ? std::to_string(reply->status) + " " + reply->get_header_value("x-ms-error-code") : "no reply";
  };
  EXPECT_EQ(code_of(ingest("[]", token, false,
                           "/dataCollectionRules/dcr-other/streams/Custom-SpectraDetectLogs"
                           "?api-version=2023-01-01")),
            "404 NotFound");
  EXPECT_EQ(code_of(ingest(
                "[]", token, false,
                "/dataCollectionRules/" + logs_.dcr_immutable_id() + "/streams/Custom-Other?api-version=2023-01-01")),
            "404 StreamNotFound");
  EXPECT_EQ(code_of(ingest("[]", token, false,
                           "/dataCollectionRules/" + logs_.dcr_immutable_id() + "/streams/" + logs_.stream() +
                               "?api-version=2021-11-01-preview")),
            "400 InvalidApiVersion");
  httplib::Client client(logs_.url());
  EXPECT_EQ(code_of(client.Post(logs_.ingest_target(), {{"Authorization", "Bearer " + token}}, "[]", "text/plain")),
            "415 UnsupportedMediaType");
  EXPECT_EQ(code_of(client.Post(logs_.ingest_target(), {{"Authorization", "Bearer " + token}}, "[]",
                                "application/json; charset=utf-8")),
            "204 ");
  EXPECT_EQ(code_of(ingest("not gzip", token, true)), "400 InvalidContent");
  EXPECT_EQ(code_of(ingest(R"({"record_id":"x"})", token)), "400 InvalidContent");
  EXPECT_EQ(code_of(ingest(R"([{"a":1},2])", token)), "400 InvalidContent");
  EXPECT_EQ(code_of(ingest(R"([{"a":1},)", token)), "400 InvalidContent");

  logs_.reject_rows_containing("poison");
  EXPECT_EQ(code_of(ingest(R"([{"record_id":"ok"},{"record_id":"poison"}])", token)), "400 InvalidContent");
  logs_.clear_rejections();
  logs_.reject_rows_containing("ok", 500, "InternalServerError");
  EXPECT_EQ(code_of(ingest(R"([{"record_id":"ok"}])", token)), "500 InternalServerError");
  logs_.clear_rejections();
  logs_.forbid(true);
  EXPECT_EQ(code_of(ingest(R"([{"record_id":"ok"}])", token)), "403 AuthorizationFailed");
  EXPECT_TRUE(logs_.accepted_rows().empty());
}

}  // namespace
}  // namespace sb::test
