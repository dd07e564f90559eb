// The fake Azure servers themselves (FakeEntra, FakeLogsIngestion, FakeGraph, FakeKeyVault), driven with cpp-httplib's
// client: each token flow and one of its errors, token validity, the Logs Ingestion checks a client depends on, Graph
// comments, tags and error shapes, and Key Vault secret versions and errors.
#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>
#include <zlib.h>

#include <array>
#include <chrono>
#include <string>
#include <thread>

#include "support/fake_entra.hpp"
#include "support/fake_graph.hpp"
#include "support/fake_key_vault.hpp"
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

TEST_F(FakeAzureServersTest, FakeLogsIngestionRefusesRowsThatDoNotFitTheDeployedStreamDeclaration) {
  for (const std::string rows : {R"([{"record_id":"r-1","not_a_column":1}])", R"([{"index":"seven"}])",
                                 R"([{"TimeGenerated":"yesterday"}])", R"([{"task_id":42}])"}) {
    const auto reply = ingest(rows, monitor_token(), false);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << rows;
    EXPECT_NE(reply->body.find("column"), std::string::npos) << reply->body;
  }
  EXPECT_TRUE(logs_.accepted_rows().empty());
  const auto fits =
      ingest(R"([{"task_id":"42","index":0,"parent":null,"story":[{"caption":"x"}]}])", monitor_token(), false);
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 204) << fits->body;
}

TEST_F(FakeAzureServersTest, FakeLogsIngestionAcceptsAGzippedArrayWith204) {
  const std::string rows = R"([{"record_id":"r-1","TimeGenerated":"2026-11-23T10:00:00Z","index":1},)"
                           R"( {"record_id":"r-2","info":{"a":[1,2]}} ])";
  const auto reply = ingest(gzip(rows), monitor_token(), true);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 204) << reply->body;
  EXPECT_TRUE(reply->body.empty());
  EXPECT_EQ(reply->get_header_value("x-ms-request-id").size(), 36U);
  EXPECT_EQ(logs_.accepted_rows(),
            (std::vector<std::string>{R"({"record_id":"r-1","TimeGenerated":"2026-11-23T10:00:00Z","index":1})",
                                      R"({"record_id":"r-2","info":{"a":[1,2]}})"}));
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

class FakeGraphAndKeyVaultTest : public FakeAzureServersTest {
 protected:
  void SetUp() override {
    FakeAzureServersTest::SetUp();
    graph_.start();
    vault_.start();
  }

  //! A token by client credentials for `scope` (form-encoded).
  std::string token_for(const std::string& scope) {
    httplib::Client client(entra_.url());
    const auto reply = client.Post(token_path(), secret_form(entra_.options().client_secret, scope), kFormType);
    EXPECT_TRUE(reply && reply->status == 200);
    return reply ? string_field(reply->body, "access_token") : std::string();
  }
  std::string graph_token() { return token_for("https%3A%2F%2Fgraph.microsoft.com%2F.default"); }
  std::string vault_token() { return token_for("https%3A%2F%2Fvault.azure.net%2F.default"); }

  static std::string comment_body(const std::string& text) {
    return R"({"@odata.type":"microsoft.graph.security.alertComment","comment":")" + text + R"("})";
  }
  //! The error.code of an error body ("" when there is none).
  static std::string error_code(const httplib::Result& reply) {
    if (!reply) return "no reply";
    simdjson::dom::parser parser;
    std::string_view code;
    if (parser.parse(reply->body)["error"]["code"].get_string().get(code) != simdjson::SUCCESS) return {};
    return std::string(code);
  }

  FakeGraph graph_{entra_};
  FakeKeyVault vault_{entra_};
};

TEST_F(FakeGraphAndKeyVaultTest, FakeGraphCommentPostReturnsTheFullListAndTheAlertShowsIt) {
  graph_.add_alert("da637578995287051192_756343937", "28282");
  httplib::Client client(graph_.url());
  const httplib::Headers headers{{"Authorization", "Bearer " + graph_token()},
                                 {"client-request-id", "7e1b0c2a-1111-4222-8333-444455556666"}};
  const std::string comments = "/v1.0/security/alerts_v2/da637578995287051192_756343937/comments";
  const auto first = client.Post(comments, headers, comment_body("first"), "application/json");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  const auto second = client.Post(comments, headers, comment_body("second"), "application/json");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(second->get_header_value("request-id").size(), 36U);
  EXPECT_EQ(second->get_header_value("client-request-id"), "7e1b0c2a-1111-4222-8333-444455556666");
  simdjson::dom::parser parser;
  const auto list = parser.parse(second->body);
  EXPECT_TRUE(std::string_view(list["@odata.context"].get_string().value()).ends_with("/comments"));
  const simdjson::dom::array value = list["value"].get_array();
  ASSERT_EQ(value.size(), 2U);
  EXPECT_EQ(std::string_view(value.at(0)["comment"].get_string().value()), "first");
  EXPECT_EQ(std::string_view(value.at(1)["comment"].get_string().value()), "second");
  EXPECT_FALSE(std::string_view(value.at(1)["createdByDisplayName"].get_string().value()).empty());
  EXPECT_TRUE(std::string_view(value.at(1)["createdDateTime"].get_string().value()).ends_with("Z"));
  EXPECT_EQ(graph_.alert_comments("da637578995287051192_756343937"), (std::vector<std::string>{"first", "second"}));

  const auto alert = client.Get("/v1.0/security/alerts_v2/da637578995287051192_756343937", headers);
  ASSERT_TRUE(alert);
  ASSERT_EQ(alert->status, 200) << alert->body;
  const auto body = parser.parse(alert->body);
  EXPECT_EQ(std::string_view(body["@odata.type"].get_string().value()), "#microsoft.graph.security.alert");
  EXPECT_EQ(std::string_view(body["incidentId"].get_string().value()), "28282");  // a string
  EXPECT_EQ(body["comments"].get_array().size(), 2U);
  EXPECT_EQ(body["evidence"].get_array().size(), 0U);
  EXPECT_EQ(graph_.request_count(), 3U);
}

TEST_F(FakeGraphAndKeyVaultTest, FakeGraphPatchReplacesTheIncidentsCustomTags) {
  graph_.add_incident("2972395", {"analyst-tag", "other"});
  httplib::Client client(graph_.url());
  const httplib::Headers headers{{"Authorization", "Bearer " + graph_token()}};
  const auto patched =
      client.Patch("/v1.0/security/incidents/2972395", headers,
                   R"({"classification":"TruePositive","determination":"MultiStagedAttack","customTags":["Demo"]})",
                   "application/json");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  simdjson::dom::parser parser;
  const simdjson::dom::array tags = parser.parse(patched->body)["customTags"].get_array();
  ASSERT_EQ(tags.size(), 1U);
  EXPECT_EQ(std::string_view(tags.at(0).get_string().value()), "Demo");
  EXPECT_EQ(graph_.incident_tags("2972395"), (std::vector<std::string>{"Demo"}));

  const auto comment =
      client.Post("/v1.0/security/incidents/2972395/comments", headers, comment_body("enriched"), "application/json");
  ASSERT_TRUE(comment);
  EXPECT_EQ(comment->status, 200) << comment->body;
  EXPECT_EQ(graph_.incident_comments("2972395"), (std::vector<std::string>{"enriched"}));
  const auto incident = client.Get("/v1.0/security/incidents/2972395", headers);
  ASSERT_TRUE(incident);
  ASSERT_EQ(incident->status, 200);
  EXPECT_EQ(string_field(incident->body, "status"), "active");

  // A tag list that is not an array of strings, and a property that cannot be updated, are refused unchanged.
  for (const char* bad : {R"({"customTags":"Demo"})", R"({"customTags":[1]})", R"({"customtags":["x"]})"}) {
    const auto refused = client.Patch("/v1.0/security/incidents/2972395", headers, bad, "application/json");
    EXPECT_EQ(error_code(refused), "BadRequest") << bad;
  }
  EXPECT_EQ(graph_.incident_tags("2972395"), (std::vector<std::string>{"Demo"}));
}

TEST_F(FakeGraphAndKeyVaultTest, FakeGraphErrorsHaveGraphsShape) {
  graph_.add_alert("a-1", "1");
  httplib::Client client(graph_.url());
  const auto anonymous = client.Get("/v1.0/security/alerts_v2/a-1", {{"client-request-id", "c-r-id"}});
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  simdjson::dom::parser parser;
  const auto error = parser.parse(anonymous->body)["error"];
  EXPECT_EQ(std::string_view(error["code"].get_string().value()), "InvalidAuthenticationToken");
  EXPECT_EQ(std::string_view(error["innerError"]["request-id"].get_string().value()),
            anonymous->get_header_value("request-id"));
  EXPECT_EQ(std::string_view(error["innerError"]["client-request-id"].get_string().value()), "c-r-id");
  EXPECT_FALSE(std::string_view(error["innerError"]["date"].get_string().value()).empty());
  // A token for another audience.
  EXPECT_EQ(error_code(client.Get("/v1.0/security/alerts_v2/a-1", {{"Authorization", "Bearer " + monitor_token()}})),
            "InvalidAuthenticationToken");

  const httplib::Headers headers{{"Authorization", "Bearer " + graph_token()}};
  EXPECT_EQ(error_code(client.Get("/v1.0/security/alerts_v2/unknown", headers)), "NotFound");
  EXPECT_EQ(error_code(client.Get("/v1.0/security/incidents/404404", headers)), "NotFound");
  const std::string comments = "/v1.0/security/alerts_v2/a-1/comments";
  EXPECT_EQ(
      error_code(client.Post(comments, headers, R"({"@odata.type":"#microsoft.graph.security.alert","comment":"x"})",
                             "application/json")),
      "BadRequest");
  EXPECT_EQ(error_code(client.Post(comments, headers, comment_body(""), "application/json")), "BadRequest");

  graph_.deny(std::string(FakeGraph::kAlertReadWrite));
  const auto forbidden = client.Post(comments, headers, comment_body("x"), "application/json");
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(error_code(forbidden), "Forbidden");
  const auto still_readable = client.Get("/v1.0/security/alerts_v2/a-1", headers);  // Read.All still granted
  ASSERT_TRUE(still_readable);
  EXPECT_EQ(still_readable->status, 200);
  graph_.deny(std::string(FakeGraph::kAlertRead));
  EXPECT_EQ(error_code(client.Get("/v1.0/security/alerts_v2/a-1", headers)), "Forbidden");
  graph_.allow_all();

  graph_.fail_next(429, 1, "5");
  const auto throttled = client.Post(comments, headers, comment_body("x"), "application/json");
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(throttled->get_header_value("Retry-After"), "5");
  EXPECT_EQ(error_code(throttled), "TooManyRequests");
  EXPECT_TRUE(graph_.alert_comments("a-1").empty());
}

TEST_F(FakeGraphAndKeyVaultTest, FakeKeyVaultServesTheLatestVersionOrTheOneAsked) {
  const std::string old_version = vault_.set_secret("rl-api-password", "old-value");
  const std::string new_version = vault_.set_secret("rl-api-password", "new-value");
  EXPECT_EQ(new_version.size(), 32U);
  EXPECT_EQ(new_version.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(old_version, new_version);

  httplib::Client client(vault_.url());
  const httplib::Headers headers{{"Authorization", "Bearer " + vault_token()}};
  const auto latest = client.Get("/secrets/rl-api-password?api-version=7.4", headers);
  ASSERT_TRUE(latest);
  ASSERT_EQ(latest->status, 200) << latest->get_header_value("x-ms-request-id");
  simdjson::dom::parser parser;
  const auto body = parser.parse(latest->body);
  EXPECT_TRUE(std::string_view(body["value"].get_string().value()) == "new-value");
  EXPECT_EQ(std::string_view(body["id"].get_string().value()),
            vault_.url() + "/secrets/rl-api-password/" + new_version);
  EXPECT_TRUE(body["attributes"]["enabled"].get_bool().value());
  EXPECT_GT(body["attributes"]["created"].get_int64().value(), 1'493'938'410);
  EXPECT_EQ(std::string_view(body["attributes"]["recoveryLevel"].get_string().value()), "Recoverable+Purgeable");

  const auto older = client.Get("/secrets/rl-api-password/" + old_version + "?api-version=2025-07-01", headers);
  ASSERT_TRUE(older);
  ASSERT_EQ(older->status, 200);
  EXPECT_TRUE(string_field(older->body, "value") == "old-value");
  EXPECT_EQ(vault_.secret_reads(), 2U);

  for (const char* target : {"/secrets/rl-api-password", "/secrets/rl-api-password?api-version=2016-10-01",
                             "/secrets/rl-api-password?api-version=6.0"}) {
    EXPECT_EQ(error_code(client.Get(target, headers)), "BadParameter") << target;
  }
  EXPECT_TRUE(FakeKeyVault::supported_api_version("7.0"));
  EXPECT_TRUE(FakeKeyVault::supported_api_version("7.5"));
  EXPECT_FALSE(FakeKeyVault::supported_api_version("seven"));
  EXPECT_EQ(vault_.secret_reads(), 2U);
}

TEST_F(FakeGraphAndKeyVaultTest, FakeKeyVaultChallengesWithoutAValidToken) {
  vault_.set_secret("s", "v");
  httplib::Client client(vault_.url());
  const std::string expected_challenge = "Bearer authorization=\"" + entra_.url() + "/" + entra_.options().tenant_id +
                                         "\", resource=\"https://vault.azure.net\"";
  const auto anonymous = client.Get("/secrets/s?api-version=7.4");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), expected_challenge);
  EXPECT_EQ(error_code(anonymous), "Unauthorized");
  const auto graph = client.Get("/secrets/s?api-version=7.4", {{"Authorization", "Bearer " + graph_token()}});
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->status, 401);
  EXPECT_EQ(graph->get_header_value("WWW-Authenticate"), expected_challenge);
  EXPECT_EQ(vault_.secret_reads(), 0U);
}

TEST_F(FakeGraphAndKeyVaultTest, FakeKeyVaultForbidsWhenDeniedAndMissesUnknownSecrets) {
  const std::string version = vault_.set_secret("known", "v");
  httplib::Client client(vault_.url());
  const httplib::Headers headers{{"Authorization", "Bearer " + vault_token()}};
  vault_.deny(true);
  const auto forbidden = client.Get("/secrets/known?api-version=7.4", headers);
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  simdjson::dom::parser parser;
  const auto error = parser.parse(forbidden->body)["error"];
  EXPECT_EQ(std::string_view(error["code"].get_string().value()), "Forbidden");
  EXPECT_EQ(std::string_view(error["innererror"]["code"].get_string().value()), "ForbiddenByRbac");
  vault_.deny(false);

  const auto missing = client.Get("/secrets/nope?api-version=7.4", headers);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(error_code(missing), "SecretNotFound");
  EXPECT_TRUE(std::string_view(parser.parse(missing->body)["error"]["message"].get_string().value())
                  .starts_with("A secret with (name/id) nope was not found in this key vault."));
  const std::string other_version(32, 'f');
  EXPECT_EQ(error_code(client.Get("/secrets/known/" + other_version + "?api-version=7.4", headers)), "SecretNotFound");

  vault_.fail_next(503, 1, "2");
  const auto unavailable = client.Get("/secrets/known/" + version + "?api-version=7.4", headers);
  ASSERT_TRUE(unavailable);
  EXPECT_EQ(unavailable->status, 503);
  EXPECT_EQ(unavailable->get_header_value("Retry-After"), "2");
  const auto served = client.Get("/secrets/known/" + version + "?api-version=7.4", headers);
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200);
  EXPECT_EQ(vault_.secret_reads(), 1U);
}

}  // namespace
}  // namespace sb::test
