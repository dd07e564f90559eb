// The azure_table history against Azurite: two instances share it (one remembers, the other finds, under every hash
// of the file), an expired verdict is a miss; and the cache in front of it: bounded, least recently used out first,
// expired entries and misses go back to the table.
#include <gtest/gtest.h>

#include "history/azure_table_history.hpp"
#include "history/cached_history.hpp"
#include "support/azurite.hpp"

namespace sb::history {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<azure::TableClient> azurite_table(const test::AzuriteTable& azurite) {
  http::ClientOptions options;
  options.retry.max_attempts = 2;
  auto http = std::shared_ptr<http::HttpClient>(http::make_curl_client(options).value());
  auto client = azure::TableClient::create({azurite.endpoint(), "spectrabridgehistory"},
                                           *azure::StorageSharedKey::create(test::kAzuriteAccount, test::kAzuriteKey),
                                           nullptr, http);
  EXPECT_TRUE(client.ok());
  EXPECT_TRUE((*client)->create_table().ok());
  return std::move(client).value();
}

intel::Verdict malicious_verdict() {
  intel::Verdict verdict;
  verdict.hash = "3395856ce81f2b7382dee72602f798b642f14140";
  verdict.classification = intel::Classification::kMalicious;
  verdict.threat_name = "Win32.Trojan.Test";
  verdict.detections = 30;
  verdict.scanners = 40;
  verdict.provider = "spectra_intelligence";
  verdict.md5 = "44d88612fea8a8f36de82e1278abb02f";
  verdict.sha1 = verdict.hash;
  verdict.sha256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";
  return verdict;
}

TEST(AzureTableHistory, AVerdictOneInstanceRemembersIsFoundByAnotherUnderEveryHashOfTheFile) {
  test::AzuriteTable azurite;
  ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
  const intel::HistoryTtl ttl;
  AzureTableHistory first(azurite_table(azurite), ttl);
  AzureTableHistory second(azurite_table(azurite), ttl);
  const auto now = std::chrono::system_clock::now();
  const auto verdict = malicious_verdict();
  ASSERT_TRUE(first.remember({verdict}, now).ok());
  auto found =
      second.find({verdict.md5, verdict.sha1, verdict.sha256, "ffffffffffffffffffffffffffffffffffffffff"}, now + 1h);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 3U);
  const auto& by_md5 = found->at(verdict.md5);
  EXPECT_EQ(by_md5.hash, verdict.md5);
  EXPECT_EQ(by_md5.classification, intel::Classification::kMalicious);
  EXPECT_EQ(by_md5.threat_name, "Win32.Trojan.Test");
  EXPECT_EQ(by_md5.detections, 30);
}

TEST(AzureTableHistory, AVerdictPastItsTtlIsAMiss) {
  test::AzuriteTable azurite;
  ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
  intel::HistoryTtl ttl;
  ttl.unknown = 60s;
  AzureTableHistory history(azurite_table(azurite), ttl);
  intel::Verdict unknown;
  unknown.hash = "0123456789abcdef0123456789abcdef01234567";
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(history.remember({unknown}, now).ok());
  EXPECT_EQ(history.find({unknown.hash}, now + 30s)->size(), 1U);
  EXPECT_TRUE(history.find({unknown.hash}, now + 61s)->empty());
}

TEST(AzureTableHistory, AnUnreachableTableIsLeftAloneAndCostsOnlyMisses) {
  const intel::HistoryTtl ttl;
  std::string endpoint;
  {
    test::AzuriteTable azurite;  // started and stopped: its port now refuses connections
    ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
    endpoint = azurite.endpoint();
  }
  http::ClientOptions options;
  options.retry.max_attempts = 1;
  auto client = azure::TableClient::create(
      {endpoint, "spectrabridgehistory"}, *azure::StorageSharedKey::create(test::kAzuriteAccount, test::kAzuriteKey),
      nullptr, std::shared_ptr<http::HttpClient>(http::make_curl_client(options).value()));
  ASSERT_TRUE(client.ok());
  AzureTableHistory history(std::move(client).value(), ttl);
  const auto now = std::chrono::system_clock::now();
  auto found = history.find({"aa11", "bb22"}, now);
  ASSERT_TRUE(found.ok()) << "misses, not a failure: the providers are asked";
  EXPECT_TRUE(found->empty());
  EXPECT_FALSE(history.remember({malicious_verdict()}, now).ok()) << "while left alone, writes say they were skipped";
}

//! A backend that counts what it is asked.
class CountingHistory final : public intel::LookupHistory {
 public:
  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>& hashes,
                                                           core::SystemTime) override {
    asked += hashes.size();
    std::map<std::string, intel::Verdict> found;
    for (const auto& hash : hashes) {
      if (auto it = stored.find(hash); it != stored.end()) found.emplace(hash, it->second);
    }
    return found;
  }
  core::Status remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime) override {
    for (const auto& verdict : verdicts) stored[verdict.hash] = verdict;
    return {};
  }
  std::map<std::string, intel::Verdict> stored;
  size_t asked = 0;
};

intel::Verdict verdict_for(std::string hash, intel::Classification classification) {
  intel::Verdict verdict;
  verdict.hash = std::move(hash);
  verdict.classification = classification;
  return verdict;
}

TEST(CachedHistory, RememberedVerdictsAreAnsweredFromMemoryUntilTheyExpire) {
  auto backend = std::make_unique<CountingHistory>();
  auto* counting = backend.get();
  intel::HistoryTtl ttl;
  ttl.unknown = 60s;
  CachedHistory cache(std::move(backend), ttl, 10);
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(cache.remember({verdict_for("aa", intel::Classification::kUnknown)}, now).ok());
  EXPECT_EQ(cache.find({"aa"}, now + 30s)->size(), 1U);
  EXPECT_EQ(counting->asked, 0U);
  // Expired in memory: the table is asked (and, it being a fake that keeps everything, answers).
  EXPECT_EQ(cache.find({"aa"}, now + 61s)->size(), 1U);
  EXPECT_EQ(counting->asked, 1U);
}

TEST(CachedHistory, MissesAreNeverCachedSoAnotherInstancesVerdictIsFound) {
  auto backend = std::make_unique<CountingHistory>();
  auto* counting = backend.get();
  CachedHistory cache(std::move(backend), intel::HistoryTtl{}, 10);
  const auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(cache.find({"bb"}, now)->empty());
  counting->stored["bb"] = verdict_for("bb", intel::Classification::kMalicious);  // another instance wrote it
  EXPECT_EQ(cache.find({"bb"}, now)->size(), 1U);
  EXPECT_EQ(cache.find({"bb"}, now)->size(), 1U);
  EXPECT_EQ(counting->asked, 2U) << "the second find was a miss asked again, the third came from memory";
}

//! A backend that fails every call.
class FailingHistory final : public intel::LookupHistory {
 public:
  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>&, core::SystemTime) override {
    return core::make_error("table unreachable");
  }
  core::Status remember(const std::vector<intel::Verdict>&, core::SystemTime) override {
    return core::make_error("table unreachable");
  }
};

TEST(CachedHistory, WhatMemoryHoldsIsStillAnsweredWhileTheBackendFails) {
  CachedHistory cache(std::make_unique<FailingHistory>(), intel::HistoryTtl{}, 10);
  const auto now = std::chrono::system_clock::now();
  EXPECT_FALSE(cache.remember({verdict_for("cc", intel::Classification::kMalicious)}, now).ok())
      << "the failure is reported";
  auto found = cache.find({"cc", "dd"}, now);
  ASSERT_TRUE(found.ok()) << "a hit in memory is an answer; dd is a miss for the providers";
  EXPECT_EQ(found->size(), 1U);
  EXPECT_FALSE(cache.find({"dd"}, now).ok()) << "with nothing in memory the failure is the answer";
}

TEST(CachedHistory, IsBoundedAndDropsTheLeastRecentlyUsedFirst) {
  auto backend = std::make_unique<CountingHistory>();
  auto* counting = backend.get();
  CachedHistory cache(std::move(backend), intel::HistoryTtl{}, 2);
  const auto now = std::chrono::system_clock::now();
  for (const char* hash : {"h1", "h2"}) {
    ASSERT_TRUE(cache.remember({verdict_for(hash, intel::Classification::kGoodware)}, now).ok());
  }
  ASSERT_EQ(cache.find({"h1"}, now)->size(), 1U);  // h1 is now the most recently used
  ASSERT_TRUE(cache.remember({verdict_for("h3", intel::Classification::kGoodware)}, now).ok());
  EXPECT_EQ(cache.size(), 2U);
  counting->asked = 0;
  EXPECT_EQ(cache.find({"h1", "h3"}, now)->size(), 2U);
  EXPECT_EQ(counting->asked, 0U);
  EXPECT_EQ(cache.find({"h2"}, now)->size(), 1U);
  EXPECT_EQ(counting->asked, 1U) << "h2 went out first and came from the table";
}

}  // namespace
}  // namespace sb::history
