// Every Entra credential against the fake Entra of microsoft.md §5: the exact request each one sends, the token it
// gets, what a refusal looks like, and which credential the default chain picks.
#include <gtest/gtest.h>

#include <fstream>

#include "azure/app_credentials.hpp"
#include "azure/entra.hpp"
#include "azure/managed_identity_credentials.hpp"
#include "support/azure_clients.hpp"
#include "support/captured_stderr.hpp"
#include "support/fake_entra.hpp"
#include "support/test_support.hpp"

namespace sb::azure {
namespace {

constexpr std::string_view kScope = "https://monitor.azure.com/.default";

//! The form fields of a recorded x-www-form-urlencoded body.
httplib::Params form_of(const test::RecordedRequest& request) {
  httplib::Params params;
  httplib::detail::parse_query_text(request.body, params);
  return params;
}

std::string field(const httplib::Params& params, const std::string& name) {
  const auto it = params.find(name);
  return it == params.end() ? "<absent>" : it->second;
}

class CredentialsTest : public testing::Test {
 protected:
  void SetUp() override { entra.start(); }
  AppIdentity identity() const { return {entra.url(), entra.options().tenant_id, entra.options().client_id}; }

  test::FakeEntra entra;
};

TEST_F(CredentialsTest, ClientSecretPostsTheV2FormAndGetsAMonitorToken) {
  ClientSecretCredential credential(test::fast_http_client(), identity(), entra.options().client_secret);
  auto token = credential.fetch(kScope);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(entra.valid(token->value, "https://monitor.azure.com"));
  EXPECT_GT(token->expires_on, std::chrono::system_clock::now() + std::chrono::minutes(55));

  const auto request = entra.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/" + entra.options().tenant_id + "/oauth2/v2.0/token");
  EXPECT_EQ(request.header("Content-Type"), "application/x-www-form-urlencoded");
  const auto form = form_of(request);
  EXPECT_EQ(field(form, "grant_type"), "client_credentials");
  EXPECT_EQ(field(form, "client_id"), entra.options().client_id);
  EXPECT_EQ(field(form, "scope"), kScope);
  EXPECT_EQ(field(form, "client_secret"), entra.options().client_secret);
}

TEST_F(CredentialsTest, AWrongSecretIsAPermanentErrorThatQuotesEntraButNotTheSecret) {
  ClientSecretCredential credential(test::fast_http_client(), identity(), "wrong-secret-value-123");
  auto token = credential.fetch(kScope);
  ASSERT_FALSE(token);
  EXPECT_TRUE(token.error().refused_for_good());
  EXPECT_NE(token.error().message.find("AADSTS7000215"), std::string::npos) << token.error().message;
  EXPECT_NE(token.error().message.find(entra.options().client_id), std::string::npos);
  EXPECT_EQ(token.error().message.find("wrong-secret-value-123"), std::string::npos);
}

TEST_F(CredentialsTest, EntraOutagesAreRetriedAndThenTransient) {
  ClientSecretCredential credential(test::fast_http_client(), identity(), entra.options().client_secret);
  entra.fail_next(503, 2);
  EXPECT_TRUE(credential.fetch(kScope));
  entra.fail_next(500, 10);
  auto token = credential.fetch(kScope);
  ASSERT_FALSE(token);
  EXPECT_FALSE(token.error().refused_for_good());
}

TEST_F(CredentialsTest, WorkloadIdentitySendsTheFederatedTokenReadAfreshEachTime) {
  test::TempDir dir;
  const auto file = dir.path() / "azure-identity-token";
  std::ofstream(file) << entra.options().federated_token << "\n";
  WorkloadIdentityCredential credential(test::fast_http_client(), identity(), file);
  auto token = credential.fetch(kScope);
  ASSERT_TRUE(token) << token.error().message;
  const auto form = form_of(entra.requests().at(0));
  EXPECT_EQ(field(form, "client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  EXPECT_EQ(field(form, "client_assertion"), entra.options().federated_token);
  EXPECT_EQ(field(form, "client_secret"), "<absent>");

  std::ofstream(file) << "rotated.but.unknown.jwt";
  auto rotated = credential.fetch(kScope);
  ASSERT_FALSE(rotated);
  EXPECT_EQ(field(form_of(entra.requests().at(1)), "client_assertion"), "rotated.but.unknown.jwt");
}

TEST_F(CredentialsTest, AppServiceManagedIdentityAsksForTheResourceWithTheIdentityHeader) {
  AppServiceManagedIdentity credential(test::fast_http_client(), entra.app_service_endpoint(),
                                       entra.options().identity_header, "");
  auto token = credential.fetch("https://vault.azure.net/.default");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(entra.valid(token->value, "https://vault.azure.net"));
  const auto request = entra.requests().at(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/msi/token");
  EXPECT_EQ(request.param("resource"), "https://vault.azure.net");
  EXPECT_EQ(request.param("api-version"), "2019-08-01");
  EXPECT_EQ(request.header("X-IDENTITY-HEADER"), entra.options().identity_header);
  EXPECT_FALSE(request.params.count("client_id"));
}

TEST_F(CredentialsTest, AUserAssignedIdentityIsChosenByClientId) {
  AppServiceManagedIdentity credential(test::fast_http_client(), entra.app_service_endpoint(),
                                       entra.options().identity_header, entra.options().client_id);
  ASSERT_TRUE(credential.fetch(kScope));
  EXPECT_EQ(entra.requests().at(0).param("client_id"), entra.options().client_id);
}

TEST_F(CredentialsTest, ImdsSendsMetadataTrueAndWaitsOutAnUpdatingService) {
  ImdsManagedIdentity credential(test::fast_http_client(), entra.imds_endpoint(), "");
  entra.fail_next(404);  // "IMDS is updating": retried by the credential, not by the HTTP client
  auto token = credential.fetch(kScope);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(entra.valid(token->value, "https://monitor.azure.com"));
  const auto requests = entra.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].path, "/metadata/identity/oauth2/token");
  EXPECT_EQ(requests[1].param("api-version"), "2018-02-01");
  EXPECT_EQ(requests[1].param("resource"), "https://monitor.azure.com");
  EXPECT_EQ(requests[1].header("Metadata"), "true");
}

TEST_F(CredentialsTest, SecretsNeverReachTheLogs) {
  test::CapturedStderr captured;  // debug level: every request is logged
  ClientSecretCredential secret(test::fast_http_client(), identity(), entra.options().client_secret);
  AppServiceManagedIdentity app_service(test::fast_http_client(), entra.app_service_endpoint(),
                                        entra.options().identity_header, "");
  auto token = secret.fetch(kScope);
  ASSERT_TRUE(app_service.fetch(kScope));
  ClientSecretCredential wrong(test::fast_http_client(), identity(), "wrong-secret-value-123");
  ASSERT_FALSE(wrong.fetch(kScope));
  const std::string logs = captured.finish();
  ASSERT_TRUE(token);
  EXPECT_NE(logs.find("http request"), std::string::npos) << "debug logging was not captured";
  for (const auto& secret_text : {entra.options().client_secret, entra.options().identity_header,
                                  std::string("wrong-secret-value-123"), token->value}) {
    EXPECT_EQ(logs.find(secret_text), std::string::npos) << "a secret leaked into the logs";
  }
  for (const auto& issued : entra.issued_tokens()) EXPECT_EQ(logs.find(issued), std::string::npos);
}

class EntraChoiceTest : public CredentialsTest {
 protected:
  EntraOptions options() const {
    EntraOptions options;
    options.authority_host = entra.url();
    options.environment.imds_endpoint = entra.imds_endpoint();
    return options;
  }
  std::string chosen(const EntraOptions& options) {
    auto provider = create_token_provider(options);
    EXPECT_TRUE(provider) << provider.error().message;
    if (!provider) return "";
    auto token = (*provider)->token(kScope);
    EXPECT_TRUE(token) << token.error().message;
    return (*provider)->describe();
  }
};

TEST_F(EntraChoiceTest, DefaultPrefersAClientSecretThenWorkloadThenAppServiceThenImds) {
  test::TempDir dir;
  const auto federated = dir.path() / "token";
  std::ofstream(federated) << entra.options().federated_token;

  auto all = options();
  all.tenant_id = entra.options().tenant_id;
  all.client_id = entra.options().client_id;
  all.client_secret = entra.options().client_secret;
  all.environment.federated_token_file = federated.string();
  all.environment.identity_endpoint = entra.app_service_endpoint();
  all.environment.identity_header = entra.options().identity_header;
  EXPECT_TRUE(chosen(all).starts_with("client secret of app "));

  all.client_secret.clear();
  EXPECT_TRUE(chosen(all).starts_with("workload identity of app "));

  all.environment.federated_token_file.clear();
  all.client_id.clear();
  EXPECT_NE(chosen(all).find("App Service endpoint"), std::string::npos);

  all.environment.identity_endpoint.clear();
  EXPECT_NE(chosen(all).find("instance metadata service"), std::string::npos);
}

TEST_F(EntraChoiceTest, WorkloadIdentityTakesTenantAndClientFromTheEnvironment) {
  test::TempDir dir;
  const auto federated = dir.path() / "token";
  std::ofstream(federated) << entra.options().federated_token;
  auto choice = options();
  choice.auth = "workload_identity";
  choice.environment.federated_token_file = federated.string();
  choice.environment.tenant_id = entra.options().tenant_id;
  choice.environment.client_id = entra.options().client_id;
  EXPECT_TRUE(chosen(choice).starts_with("workload identity of app " + entra.options().client_id));
}

TEST_F(EntraChoiceTest, MissingSettingsAreNamed) {
  auto choice = options();
  choice.auth = "client_secret";
  auto provider = create_token_provider(choice);
  ASSERT_FALSE(provider);
  EXPECT_NE(provider.error().message.find("azure.client_secret"), std::string::npos);

  choice.client_secret = "s";
  provider = create_token_provider(choice);
  ASSERT_FALSE(provider);
  EXPECT_NE(provider.error().message.find("azure.tenant_id"), std::string::npos);

  choice.auth = "workload_identity";
  provider = create_token_provider(choice);
  ASSERT_FALSE(provider);
  EXPECT_NE(provider.error().message.find("AZURE_FEDERATED_TOKEN_FILE"), std::string::npos);

  choice.auth = "kerberos";
  EXPECT_FALSE(create_token_provider(choice));

  choice.auth = "client_secret";
  choice.tenant_id = "t";
  choice.client_id = "c";
  choice.authority_host = "http://login.example.com";  // plain http only for loopback
  provider = create_token_provider(choice);
  ASSERT_FALSE(provider);
  EXPECT_NE(provider.error().message.find("azure.authority_host"), std::string::npos);
}

TEST_F(EntraChoiceTest, EnvironmentVariablesAreReadByTheirSdkNames) {
  const std::vector<std::string> environment = {"IDENTITY_ENDPOINT=http://127.0.0.1:4141/msi/token",
                                                "IDENTITY_HEADER=h",
                                                "AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/token",
                                                "AZURE_TENANT_ID=t",
                                                "AZURE_CLIENT_ID=c",
                                                "AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:1",
                                                "AZURE_CLIENT_ID_EXTRA=ignored"};
  const auto env = EntraEnvironment::from(environment);
  EXPECT_EQ(env.identity_endpoint, "http://127.0.0.1:4141/msi/token");
  EXPECT_EQ(env.identity_header, "h");
  EXPECT_EQ(env.federated_token_file, "/var/run/secrets/token");
  EXPECT_EQ(env.tenant_id, "t");
  EXPECT_EQ(env.client_id, "c");
  EXPECT_EQ(env.imds_endpoint, "http://127.0.0.1:1");
}

}  // namespace
}  // namespace sb::azure
