// The three token reply shapes of microsoft.md §5 (client credentials, App Service, IMDS), Entra error bodies, and
// replies that must not be cached.
#include <gtest/gtest.h>

#include "azure/token_response.hpp"

namespace sb::azure {
namespace {

using namespace std::chrono_literals;
const auto kNow = std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000);

TEST(TokenResponse, ClientCredentialsReplyGivesExpiresInAsANumber) {
  auto token = parse_token_response(R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAi.a.b"})", kNow);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, "eyJ0eXAi.a.b");
  EXPECT_EQ(token->expires_on, kNow + 3599s);
}

TEST(TokenResponse, AppServiceReplyGivesExpiresOnAsAStringOfEpochSeconds) {
  auto token = parse_token_response(
      R"({"access_token":"eyJ0eXAi…","expires_on":"1700003600","resource":"https://vault.azure.net",)"
      R"("token_type":"Bearer","client_id":"5E29463D-71DA-4FE0-8E69-999B57DB23B0"})",
      kNow);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->expires_on, kNow + 3600s);
}

TEST(TokenResponse, ImdsReplyHasEveryValueAsAStringAndTheRelativeLifetimeWins) {
  auto token = parse_token_response(
      R"({"access_token":"eyJ0eXAi...","refresh_token":"","expires_in":"3599","expires_on":"1700001800",)"
      R"("not_before":"1699996200","resource":"https://management.azure.com/","token_type":"Bearer"})",
      kNow);
  ASSERT_TRUE(token) << token.error().message;
  // expires_on says 1,800 s on the service's clock; expires_in (3,599 s) does not depend on ours being right.
  EXPECT_EQ(token->expires_on, kNow + 3599s);
}

TEST(TokenResponse, RepliesThatCannotBeCachedSafelyAreErrors) {
  for (const std::string body : {
           R"({"token_type":"Bearer","expires_in":3599})",                             // no token
           R"({"token_type":"Bearer","access_token":"t"})",                            // no expiry
           R"({"token_type":"Bearer","access_token":"t","expires_in":"soon"})",        // unreadable expiry
           R"({"token_type":"Bearer","access_token":"t","expires_on":"1699999999"})",  // already expired
           R"({"token_type":"Bearer","access_token":"t","expires_in":99999999})",      // absurd lifetime
           R"({"token_type":"pop","access_token":"t","expires_in":3599})",             // not a bearer token
           R"(<html>busy</html>)",
       }) {
    EXPECT_FALSE(parse_token_response(body, kNow)) << body;
  }
}

TEST(TokenResponse, ErrorDescriptionKeepsTheFirstLineAndTheCorrelationId) {
  const std::string body =
      R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the )"
      R"(secret being sent in the request is the client secret value.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\n)"
      R"(Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd","error_codes":[7000215],)"
      R"("timestamp":"2026-11-23 10:00:00Z","trace_id":"0000aaaa-11bb-cccc-dd22-eeeeee333333",)"
      R"("correlation_id":"aaaa0000-bb11-2222-33cc-444444dddddd"})";
  EXPECT_EQ(describe_token_error(401, body),
            "HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in "
            "the request is the client secret value. (correlation id aaaa0000-bb11-2222-33cc-444444dddddd)");
  EXPECT_EQ(describe_token_error(502, "<html>bad gateway</html>"), "HTTP 502");
}

TEST(TokenResponse, ManagedIdentityResourceIsTheScopeWithoutDefault) {
  EXPECT_EQ(resource_of_scope("https://monitor.azure.com/.default"), "https://monitor.azure.com");
  EXPECT_EQ(resource_of_scope("https://vault.azure.net/.default"), "https://vault.azure.net");
  EXPECT_EQ(resource_of_scope("https://graph.microsoft.com"), "https://graph.microsoft.com");
}

}  // namespace
}  // namespace sb::azure
