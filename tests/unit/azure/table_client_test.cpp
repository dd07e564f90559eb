// The Table client: the Shared Key string-to-sign of the Table service (microsoft.md §8.1), key escaping, the
// account an endpoint names; and against Azurite's Table service: create, upsert without If-Match, point reads,
// a missing entity, a wrong key refused for good.
#include <gtest/gtest.h>

#include "azure/table_client.hpp"
#include "support/azurite.hpp"

namespace sb::azure {
namespace {

std::shared_ptr<http::HttpClient> test_http() {
  http::ClientOptions options;
  options.retry.max_attempts = 2;
  options.retry.base_delay = std::chrono::milliseconds(50);
  auto client = http::make_curl_client(options);
  return std::shared_ptr<http::HttpClient>(std::move(client).value());
}

core::Result<std::unique_ptr<TableClient>> azurite_client(const test::AzuriteTable& azurite, const std::string& table,
                                                          const std::string& key = test::kAzuriteKey) {
  auto shared = StorageSharedKey::create(test::kAzuriteAccount, key);
  if (!shared) return shared.error();
  return TableClient::create({azurite.endpoint(), table}, std::move(shared).value(), nullptr, test_http());
}

TEST(TableSharedKey, StringToSignIsTheTableFormatWithoutHeaders) {
  EXPECT_EQ(table_string_to_sign("PUT", "application/json", "Fri, 04 Dec 2026 01:54:16 GMT", "acct",
                                 "/history(PartitionKey='ab',RowKey='abc')", ""),
            "PUT\n\napplication/json\nFri, 04 Dec 2026 01:54:16 GMT\n/acct/history(PartitionKey='ab',RowKey='abc')");
  EXPECT_EQ(table_string_to_sign("GET", "", "d", "acct", "/", "properties"), "GET\n\n\nd\n/acct/?comp=properties");
}

TEST(TableSharedKey, DateIsRfc1123InGmt) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1796349256));
  EXPECT_EQ(storage_date(time), "Fri, 04 Dec 2026 01:54:16 GMT");
}

TEST(TableSharedKey, AKeyThatIsNotBase64IsRefusedWithoutQuotingIt) {
  auto key = StorageSharedKey::create("acct", "not a key!");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message.find("not a key!"), std::string::npos);
}

TEST(TableClientNames, AccountComesFromTheHostOrThePathStylePath) {
  EXPECT_EQ(*table_account("https://stspectra.table.core.windows.net"), "stspectra");
  EXPECT_EQ(*table_account("http://127.0.0.1:10002/devstoreaccount1"), "devstoreaccount1");
  EXPECT_FALSE(table_account("http://10.0.0.5:10002/devstoreaccount1").ok()) << "plain http only to loopback";
}

TEST(TableClientNames, KeysAreQuotedWithQuotesDoubledAndTheRestPercentEncoded) {
  EXPECT_EQ(table_key_literal("abc123"), "'abc123'");
  EXPECT_EQ(table_key_literal("o'neil"), "'o''neil'");
  EXPECT_EQ(table_key_literal("a/b c#?"), "'a%2Fb%20c%23%3F'");
}

TEST(TableClientNames, AnInvalidTableNameIsRefused) {
  auto client = TableClient::create({"https://acct.table.core.windows.net", "1bad-name"},
                                    *StorageSharedKey::create("acct", test::kAzuriteKey), nullptr, test_http());
  EXPECT_FALSE(client.ok());
}

TEST(TableClientAzurite, CreatesUpsertsWithoutIfMatchAndReadsBack) {
  test::AzuriteTable azurite;
  ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
  auto client = azurite_client(azurite, "roundtrip");
  ASSERT_TRUE(client.ok()) << client.error().message;
  ASSERT_TRUE((*client)->create_table().ok());
  EXPECT_TRUE((*client)->create_table().ok()) << "a table that exists is success";
  auto missing = (*client)->get("ab", "abcdef");
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE((*client)->upsert("ab", "abcdef", R"({"Verdict":"first"})").ok());
  auto status = (*client)->upsert("ab", "abcdef", R"({"Verdict":"second"})");
  ASSERT_TRUE(status.ok()) << status.error().message;  // replaced, no If-Match, no conflict
  auto read = (*client)->get("ab", "abcdef");
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_NE((*read)->find("\"second\""), std::string::npos) << **read;
  // A key with a quote and characters that need encoding is stored and found under that same key.
  ASSERT_TRUE((*client)->upsert("o'x", "a b'c", R"({"Verdict":"odd"})").ok());
  auto odd = (*client)->get("o'x", "a b'c");
  ASSERT_TRUE(odd.ok() && odd->has_value());
  EXPECT_NE((*odd)->find("odd"), std::string::npos);
}

TEST(TableClientAzurite, AWriteToATableNotCreatedYetCreatesItAndIsStored) {
  test::AzuriteTable azurite;
  ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
  auto client = azurite_client(azurite, "latecomer");
  ASSERT_TRUE(client.ok());
  auto written = (*client)->upsert("ab", "abc", R"({"Verdict":"v"})");  // no create_table() before
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto read = (*client)->get("ab", "abc");
  ASSERT_TRUE(read.ok() && read->has_value());
}

TEST(TableClientAzurite, AWrongKeyIsRefusedForGoodAndSaysWhatToCheck) {
  test::AzuriteTable azurite;
  ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
  // A valid Base64 key of the right account that is not its key.
  auto client = azurite_client(azurite, "refused", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  ASSERT_TRUE(client.ok());
  auto created = (*client)->create_table();
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, core::ErrorKind::kRefusedForGood) << created.error().message;
  EXPECT_NE(created.error().message.find("account_key"), std::string::npos) << created.error().message;
  EXPECT_NE(created.error().message.find("403"), std::string::npos) << created.error().message;
}

}  // namespace
}  // namespace sb::azure
