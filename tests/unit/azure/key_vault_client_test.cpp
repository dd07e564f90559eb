// Key Vault secret references against the fake vault: the latest or a pinned version, a token for
// https://vault.azure.net refreshed once on 401, 403 and 404 as permanent errors that say what to fix, and the
// value never in an error or a log line.
#include <gtest/gtest.h>

#include "azure/entra.hpp"
#include "azure/key_vault_client.hpp"
#include "core/secret.hpp"
#include "support/captured_stderr.hpp"
#include "support/fake_entra.hpp"
#include "support/fake_key_vault.hpp"

namespace sb::azure {
namespace {

class KeyVaultTest : public testing::Test {
 protected:
  void SetUp() override {
    entra.start();
    vault.start();
    EntraOptions options;
    options.auth = "managed_identity";
    options.environment.identity_endpoint = entra.app_service_endpoint();
    options.environment.identity_header = entra.options().identity_header;
    client = std::make_unique<KeyVaultClient>(create_token_provider(options).value(),
                                              std::shared_ptr<http::HttpClient>(http::make_curl_client({}).value()));
  }

  test::FakeEntra entra;
  test::FakeKeyVault vault{entra};
  std::unique_ptr<KeyVaultClient> client;
};

TEST_F(KeyVaultTest, AReferenceReadsTheLatestOrThePinnedVersion) {
  const auto first = vault.set_secret("rl-password", "first-value-1");
  vault.set_secret("rl-password", "second-value-2");
  auto latest = core::resolve_secret("keyvault:" + vault.url() + "/secrets/rl-password", client.get());
  ASSERT_TRUE(latest) << latest.error().message;
  EXPECT_EQ(*latest, "second-value-2");
  auto pinned = core::resolve_secret("keyvault:" + vault.url() + "/secrets/rl-password/" + first, client.get());
  ASSERT_TRUE(pinned) << pinned.error().message;
  EXPECT_EQ(*pinned, "first-value-1");
  const auto request = vault.requests().at(0);
  EXPECT_EQ(request.path, "/secrets/rl-password");
  EXPECT_EQ(request.param("api-version"), "7.4");
  EXPECT_TRUE(entra.valid(request.header("Authorization").substr(7), "https://vault.azure.net"));
  EXPECT_EQ(entra.requests().at(0).param("resource"), "https://vault.azure.net");
}

TEST(KeyVaultScope, TheTokenAudienceFollowsTheVaultsCloud) {
  EXPECT_EQ(key_vault_scope("https://v.vault.azure.net/secrets/s"), "https://vault.azure.net/.default");
  EXPECT_EQ(key_vault_scope("https://v.vault.usgovcloudapi.net/secrets/s/1"),
            "https://vault.usgovcloudapi.net/.default");
  EXPECT_EQ(key_vault_scope("https://v.vault.azure.cn/secrets/s"), "https://vault.azure.cn/.default");
  EXPECT_EQ(key_vault_scope("http://127.0.0.1:8200/secrets/s"), "https://vault.azure.net/.default");
}

TEST_F(KeyVaultTest, ARevokedTokenIsReplacedOnce) {
  vault.set_secret("s", "v-123");
  ASSERT_TRUE(client->read(vault.url() + "/secrets/s"));
  entra.revoke_all();
  auto again = client->read(vault.url() + "/secrets/s");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(entra.token_requests(), 2u);
}

TEST_F(KeyVaultTest, RefusalsArePermanentAndSayWhatToFix) {
  auto missing = client->read(vault.url() + "/secrets/nope");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().refused_for_good());
  EXPECT_NE(missing.error().message.find("SecretNotFound"), std::string::npos) << missing.error().message;

  vault.set_secret("s", "v-123");
  vault.deny(true);
  auto denied = client->read(vault.url() + "/secrets/s");
  ASSERT_FALSE(denied);
  EXPECT_TRUE(denied.error().refused_for_good());
  EXPECT_NE(denied.error().message.find("Key Vault Secrets User"), std::string::npos);
}

TEST_F(KeyVaultTest, TheValueNeverReachesTheLogs) {
  vault.set_secret("s", "top-secret-value-77");
  test::CapturedStderr captured;
  auto value = client->read(vault.url() + "/secrets/s");
  const auto logs = captured.finish();
  ASSERT_TRUE(value);
  EXPECT_NE(logs.find("http request"), std::string::npos);
  EXPECT_EQ(logs.find("top-secret-value-77"), std::string::npos);
}

}  // namespace
}  // namespace sb::azure
