// SpectraIntelligenceClient against the fake: the exact requests, verdict mapping, status → failure, retries,
// timeouts, unreadable replies, rate limit, counters, and credentials kept out of logs and messages.
#include "rl/spectra_intelligence_client.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/json_document.hpp"
#include "support/captured_stderr.hpp"
#include "support/fake_reversinglabs.hpp"
#include "support/test_support.hpp"

namespace sb::rl {
namespace {

using core::HashType;
using intel::Classification;
using intel::LookupResult;
using intel::Verdict;

using namespace std::chrono_literals;
using test::FakeProduct;
using test::FakeReversingLabs;
using test::FakeSample;

constexpr std::string_view kSinglePrefix = "/api/databrowser/malware_presence/query/";
constexpr std::string_view kBulkPath = "/api/databrowser/malware_presence/bulk_query/json";

struct HttpSettings {
  int max_attempts = 3;
  std::chrono::milliseconds request_timeout{5'000};
};

std::shared_ptr<http::HttpClient> make_http(HttpSettings settings = {}) {
  http::ClientOptions options;
  options.user_agent = "spectra-bridge-tests";
  options.connect_timeout = 2s;
  options.request_timeout = settings.request_timeout;
  options.retry.max_attempts = settings.max_attempts;
  options.retry.base_delay = 1ms;
  options.retry.max_delay = 5ms;
  auto client = http::make_curl_client(options);
  EXPECT_TRUE(client.ok()) << client.error().message;
  return std::shared_ptr<http::HttpClient>(std::move(client).value());
}

std::set<std::string> keys_of(simdjson::dom::object object) {
  std::set<std::string> keys;
  for (const auto field : object) keys.emplace(field.key);
  return keys;
}

class SpectraIntelligenceClientTest : public ::testing::Test {
 protected:
  SpectraIntelligenceOptions options() const {
    SpectraIntelligenceOptions options;
    options.base_url = fake_.base_url();
    options.username = fake_.options().username;
    options.password = fake_.options().password;
    return options;
  }

  std::unique_ptr<SpectraIntelligenceClient> client(HttpSettings settings = {}) { return client(options(), settings); }

  std::unique_ptr<SpectraIntelligenceClient> client(SpectraIntelligenceOptions options, HttpSettings settings = {}) {
    auto created = SpectraIntelligenceClient::create(make_http(settings), std::move(options));
    EXPECT_TRUE(created.ok()) << created.error().message;
    return std::move(created).value();
  }

  std::string expected_authorization() const {
    // base64("u/fake/analyst:fake-si-password-7f3a"), computed independently of the client.
    return "Basic dS9mYWtlL2FuYWx5c3Q6ZmFrZS1zaS1wYXNzd29yZC03ZjNh";
  }

  FakeReversingLabs fake_{FakeProduct::kSpectraIntelligence};
};

TEST_F(SpectraIntelligenceClientTest, SingleHashIsOneExactGetWithBasicAuth) {
  const auto tox = FakeSample::tox_ransomware();
  fake_.add_sample(tox);
  auto result = client()->lookup(HashType::kSha1, {tox.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, std::string(kSinglePrefix) + "sha1/" + tox.sha1);
  EXPECT_EQ(requests[0].query, "extended=true&show_hashes=true&format=json");
  EXPECT_EQ(requests[0].header("Authorization"), expected_authorization());
  EXPECT_EQ(requests[0].header("User-Agent"), "spectra-bridge/" SB_VERSION);
  EXPECT_TRUE(requests[0].body.empty());
}

TEST_F(SpectraIntelligenceClientTest, BulkBodyIsExactJsonWithOneHashType) {
  const auto a = FakeSample::generated(1, Classification::kMalicious);
  const auto b = FakeSample::generated(2, Classification::kGoodware);
  const auto c = FakeSample::generated(3, Classification::kSuspicious);
  auto result = client()->lookup(HashType::kSha256, {a.sha256, b.sha256, c.sha256});
  ASSERT_TRUE(result.ok()) << result.failure->message;

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, kBulkPath);
  EXPECT_EQ(requests[0].query, "extended=true&show_hashes=true");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].header("Authorization"), expected_authorization());
  EXPECT_EQ(requests[0].body, R"({"rl":{"query":{"hash_type":"sha256","hashes":[")" + a.sha256 + R"(",")" + b.sha256 +
                                  R"(",")" + c.sha256 + R"("]}}})");
}

TEST_F(SpectraIntelligenceClientTest, LongListsGoOutInBulksOfAtMost100) {
  std::vector<std::string> hashes;
  for (uint64_t i = 0; i < 250; ++i) {
    auto sample = FakeSample::generated(i, i % 2 == 0 ? Classification::kMalicious : Classification::kGoodware);
    if (i % 3 == 0) fake_.add_sample(sample);
    hashes.push_back(sample.md5);
  }
  auto si = client();
  EXPECT_EQ(si->max_batch(), 100u);
  auto result = si->lookup(HashType::kMd5, hashes);
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.size(), hashes.size());

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 3u);
  std::vector<std::string> sent;
  for (const auto& request : requests) {
    EXPECT_EQ(request.path, kBulkPath);
    simdjson::dom::parser parser;
    auto root = core::parse_json(parser, request.body);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(std::string_view(root->at_pointer("/rl/query/hash_type").get_string().value()), "md5");
    const auto batch = root->at_pointer("/rl/query/hashes").get_array().value();
    EXPECT_LE(batch.size(), 100u);
    for (const auto hash : batch) sent.emplace_back(hash.get_string().value());
  }
  EXPECT_EQ(sent, hashes);
}

TEST_F(SpectraIntelligenceClientTest, VerdictsForEachStatus) {
  const auto malicious = FakeSample::tox_ransomware();
  auto suspicious = FakeSample::generated(7, Classification::kSuspicious);
  auto known = FakeSample::generated(8, Classification::kGoodware);
  known.trust_factor = 0;
  const auto unknown = FakeSample::generated(9, Classification::kUnknown);
  for (const auto& sample : {malicious, suspicious, known}) fake_.add_sample(sample);

  auto result = client()->lookup(HashType::kSha1, {malicious.sha1, suspicious.sha1, known.sha1, unknown.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  ASSERT_EQ(result.verdicts.size(), 4u);

  const auto& bad = result.verdicts.at(malicious.sha1);
  EXPECT_EQ(bad.classification, Classification::kMalicious);
  EXPECT_EQ(bad.threat_name, "Win32.Ransomware.Tox");
  EXPECT_EQ(bad.threat_level, 5);
  EXPECT_EQ(bad.trust_factor, 5);
  EXPECT_EQ(bad.detections, 44);
  EXPECT_EQ(bad.scanners, 47);
  EXPECT_NEAR(*bad.detection_percent, 93.617, 0.001);
  EXPECT_EQ(bad.reason, "antivirus");
  EXPECT_EQ(bad.sha256, malicious.sha256);
  EXPECT_EQ(bad.md5, malicious.md5);
  EXPECT_EQ(bad.hash, malicious.sha1);

  EXPECT_EQ(result.verdicts.at(suspicious.sha1).classification, Classification::kSuspicious);
  EXPECT_EQ(result.verdicts.at(suspicious.sha1).threat_level, 2);
  EXPECT_EQ(result.verdicts.at(known.sha1).classification, Classification::kGoodware);
  EXPECT_EQ(result.verdicts.at(known.sha1).trust_factor, 0);
  EXPECT_EQ(result.verdicts.at(unknown.sha1).classification, Classification::kUnknown);

  for (const auto& [hash, verdict] : result.verdicts) {
    EXPECT_EQ(verdict.hash, hash);
    EXPECT_EQ(verdict.provider, "spectra_intelligence");
    EXPECT_EQ(verdict.looked_up_at.size(), std::string_view("2026-11-23T12:13:00.123Z").size());
    EXPECT_TRUE(verdict.looked_up_at.ends_with('Z'));
  }
}

TEST_F(SpectraIntelligenceClientTest, FakeSingleReplyHasTheRealSampleShape) {
  const auto tox = FakeSample::tox_ransomware();
  fake_.add_sample(tox);
  auto http = make_http();
  http::Request request;
  request.url = fake_.base_url() + std::string(kSinglePrefix) + "sha1/" + tox.sha1 +
                "?extended=true&show_hashes=true&format=json";
  request.headers.push_back({"Authorization", expected_authorization()});
  auto response = http->send(request);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->status, 200);

  simdjson::dom::parser fake_parser;
  simdjson::dom::parser real_parser;
  auto fake = core::parse_json(fake_parser, response->body);
  auto real = core::parse_json(
      real_parser, test::read_text(test::samples_dir() / "spectra-intelligence" / "file_reputation_report.json"));
  ASSERT_TRUE(fake.ok() && real.ok());
  const auto fake_presence = fake->at_pointer("/rl/malware_presence").get_object().value();
  const auto real_presence = real->at_pointer("/rl/malware_presence").get_object().value();
  EXPECT_EQ(keys_of(fake_presence), keys_of(real_presence));
  EXPECT_EQ(keys_of(fake_presence["classification"].get_object().value()),
            keys_of(real_presence["classification"].get_object().value()));
}

TEST_F(SpectraIntelligenceClientTest, UnknownHashIsAnUnknownVerdict) {
  const auto unknown = FakeSample::generated(42, Classification::kMalicious);  // never added to the fake
  auto result = client()->lookup(HashType::kSha256, {unknown.sha256});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.verdicts.count(unknown.sha256), 1u);
  EXPECT_EQ(result.verdicts.at(unknown.sha256).classification, Classification::kUnknown);
  EXPECT_TRUE(result.verdicts.at(unknown.sha256).threat_name.empty());
}

TEST_F(SpectraIntelligenceClientTest, NotFoundIsUnknownNotAFailure) {
  const auto tox = FakeSample::tox_ransomware();
  fake_.add_sample(tox);
  fake_.fail_next(1, 404);
  auto result = client()->lookup(HashType::kSha1, {tox.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(tox.sha1).classification, Classification::kUnknown);
  EXPECT_EQ(fake_.request_count(), 1u);
}

TEST_F(SpectraIntelligenceClientTest, BulkNotFoundMeansAWrongUrlNotUnknownHashes) {
  const auto a = FakeSample::generated(3, Classification::kMalicious);
  const auto b = FakeSample::generated(4, Classification::kMalicious);
  fake_.fail_next(1, 404);
  auto result = client()->lookup(HashType::kSha1, {a.sha1, b.sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("scan.spectra_intelligence.url"), std::string::npos)
      << result.failure->message;
  EXPECT_TRUE(result.verdicts.empty());
}

TEST_F(SpectraIntelligenceClientTest, HashLeftOutOfBulkReplyIsUnknown) {
  const auto a = FakeSample::generated(1, Classification::kMalicious);
  const auto b = FakeSample::generated(2, Classification::kMalicious);
  fake_.add_sample(a);
  fake_.add_sample(b);
  fake_.drop_from_bulk(b.sha1);
  auto result = client()->lookup(HashType::kSha1, {a.sha1, b.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(a.sha1).classification, Classification::kMalicious);
  ASSERT_EQ(result.verdicts.count(b.sha1), 1u);
  EXPECT_EQ(result.verdicts.at(b.sha1).classification, Classification::kUnknown);
  EXPECT_EQ(result.verdicts.at(b.sha1).provider, "spectra_intelligence");
}

TEST_F(SpectraIntelligenceClientTest, WrongPasswordIsCredentialsFailureWithoutRetry) {
  auto wrong = options();
  wrong.password = "not-the-password";
  auto si = client(wrong);
  auto result = si->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRefusedForGood);
  EXPECT_TRUE(result.failure->refused_for_good());
  EXPECT_NE(result.failure->message.find("spectra_intelligence: 401 Unauthorized"), std::string::npos);
  EXPECT_NE(result.failure->message.find("the username/password in [scan.spectra_intelligence] were refused"),
            std::string::npos);
  EXPECT_TRUE(result.verdicts.empty());
  EXPECT_EQ(fake_.request_count(), 1u);
  EXPECT_EQ(si->counters().failures, 1u);
}

TEST_F(SpectraIntelligenceClientTest, ForbiddenIsPermissionFailure) {
  fake_.fail_next(1, 403);
  auto result = client()->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRefusedForGood);
  EXPECT_NE(result.failure->message.find("the account lacks the right to use Malware Presence (TCA-0101)"),
            std::string::npos);
  EXPECT_EQ(fake_.request_count(), 1u);
}

TEST_F(SpectraIntelligenceClientTest, TooManyRequestsWithRetryAfterThenSuccess) {
  const auto tox = FakeSample::tox_ransomware();
  fake_.add_sample(tox);
  fake_.fail_next(1, 429, 1);
  auto si = client();
  const auto started = std::chrono::steady_clock::now();
  auto result = si->lookup(HashType::kSha1, {tox.sha1});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(tox.sha1).classification, Classification::kMalicious);
  EXPECT_GE(elapsed, 900ms);  // Retry-After: 1 was waited out
  EXPECT_EQ(fake_.request_count(), 2u);
  EXPECT_EQ(si->counters().requests, 2u);
  EXPECT_EQ(si->counters().quota_errors, 0u);
}

TEST_F(SpectraIntelligenceClientTest, PersistentTooManyRequestsIsQuotaFailureAndCounted) {
  fake_.fail_next(3, 429, 0);
  auto si = client({.max_attempts = 3});
  auto result = si->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_FALSE(result.failure->refused_for_good());
  EXPECT_NE(result.failure->message.find("429 Too Many Requests"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 3u);
  const auto counters = si->counters();
  EXPECT_EQ(counters.quota_errors, 1u);
  EXPECT_EQ(counters.requests, 3u);
  EXPECT_EQ(counters.failures, 1u);
}

TEST_F(SpectraIntelligenceClientTest, ServerErrorIsRetriedThenSucceeds) {
  const auto tox = FakeSample::tox_ransomware();
  fake_.add_sample(tox);
  fake_.fail_next(2, 500);
  auto result = client({.max_attempts = 3})->lookup(HashType::kSha1, {tox.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(tox.sha1).classification, Classification::kMalicious);
  EXPECT_EQ(fake_.request_count(), 3u);
}

TEST_F(SpectraIntelligenceClientTest, PersistentServerErrorIsTransientFailure) {
  fake_.fail_next(3, 503);
  auto result = client({.max_attempts = 3})->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("503 Service Unavailable"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 3u);
}

TEST_F(SpectraIntelligenceClientTest, SlowResponseBeyondTimeoutIsTransientFailure) {
  // The timeout leaves the fake time to take each request even in a ThreadSanitizer build (several times slower).
  fake_.delay_next(2, 3s);
  auto result = client({.max_attempts = 2, .request_timeout = 800ms})
                    ->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("no response from GET"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 2u);
}

TEST_F(SpectraIntelligenceClientTest, BodyThatIsNotJsonIsBadResponseNamingTheRequest) {
  const auto tox = FakeSample::tox_ransomware();
  fake_.answer_not_json_next(1);
  auto result = client()->lookup(HashType::kSha1, {tox.sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("GET " + fake_.base_url() + std::string(kSinglePrefix) + "sha1/" + tox.sha1),
            std::string::npos);

  fake_.answer_not_json_next(1);
  result = client()->lookup(HashType::kSha1, {tox.sha1, FakeSample::generated(1, Classification::kUnknown).sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("POST " + fake_.base_url() + std::string(kBulkPath)), std::string::npos);
}

TEST_F(SpectraIntelligenceClientTest, PasswordNeverInLogsOrMessages) {
  const auto password = fake_.options().password;
  test::CapturedStderr captured;
  auto si = client({.max_attempts = 2});
  fake_.fail_next(1, 500);
  auto ok = si->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  fake_.fail_next(1, 401);
  auto refused = si->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  fake_.answer_not_json_next(1);
  auto unreadable = si->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1});
  const std::string logs = captured.finish();

  ASSERT_TRUE(ok.ok());
  ASSERT_FALSE(refused.ok());
  ASSERT_FALSE(unreadable.ok());
  EXPECT_NE(logs.find("reversinglabs request"), std::string::npos) << "debug logging was not captured";
  for (const auto& secret : {password, expected_authorization(), expected_authorization().substr(6)}) {
    EXPECT_EQ(logs.find(secret), std::string::npos);
    EXPECT_EQ(refused.failure->message.find(secret), std::string::npos);
    EXPECT_EQ(unreadable.failure->message.find(secret), std::string::npos);
  }
}

TEST_F(SpectraIntelligenceClientTest, CountersAcrossConcurrentLookups) {
  std::vector<std::string> hashes;
  for (uint64_t i = 0; i < 8; ++i) {
    auto sample = FakeSample::generated(i, Classification::kMalicious);
    fake_.add_sample(sample);
    hashes.push_back(sample.sha1);
  }
  auto si = client();
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  std::atomic<int> malicious{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        // Alternate single and bulk lookups so both paths run concurrently.
        auto result = round % 2 == 0 ? si->lookup(HashType::kSha1, {hashes[static_cast<size_t>(t)]})
                                     : si->lookup(HashType::kSha1, hashes);
        for (const auto& [hash, verdict] : result.verdicts) {
          if (verdict.classification == Classification::kMalicious) ++malicious;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto counters = si->counters();
  EXPECT_EQ(counters.requests, static_cast<uint64_t>(kThreads * kRounds));
  EXPECT_EQ(counters.hashes, static_cast<uint64_t>(kThreads * (3 * 1 + 2 * 8)));
  EXPECT_EQ(counters.failures, 0u);
  EXPECT_EQ(malicious.load(), kThreads * (3 * 1 + 2 * 8));
}

TEST_F(SpectraIntelligenceClientTest, RequestsPerSecondSpacesRequests) {
  auto limited = options();
  limited.requests_per_second = 10;  // a burst of 10, then one every 100 ms
  auto si = client(limited);
  const auto started = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < 13; ++i) {
    ASSERT_TRUE(si->lookup(HashType::kSha1, {FakeSample::generated(i, Classification::kUnknown).sha1}).ok());
  }
  EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
  EXPECT_EQ(fake_.request_count(), 13u);
}

TEST_F(SpectraIntelligenceClientTest, CreateRejectsBadOptions) {
  auto http = make_http();
  auto no_password = options();
  no_password.password = "";
  auto created = SpectraIntelligenceClient::create(http, no_password);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message.find("[scan.spectra_intelligence]"), std::string::npos);

  auto plain_http = options();
  plain_http.base_url = "http://data.reversinglabs.com";
  EXPECT_FALSE(SpectraIntelligenceClient::create(http, plain_http).ok());

  auto negative_rate = options();
  negative_rate.requests_per_second = -1;
  EXPECT_FALSE(SpectraIntelligenceClient::create(http, negative_rate).ok());

  auto trailing_slash = options();
  trailing_slash.base_url += "/";
  auto si = SpectraIntelligenceClient::create(http, trailing_slash);
  ASSERT_TRUE(si.ok()) << si.error().message;
  ASSERT_TRUE((*si)->lookup(HashType::kSha1, {FakeSample::tox_ransomware().sha1}).ok());
  EXPECT_EQ(fake_.requests().at(0).path, std::string(kSinglePrefix) + "sha1/" + FakeSample::tox_ransomware().sha1);
}

TEST_F(SpectraIntelligenceClientTest, TextThatIsNotAHashIsNeverSent) {
#ifndef NDEBUG
  GTEST_SKIP() << "a contract violation asserts in debug builds";
#endif
  auto result = client()->lookup(HashType::kSha1, {"../../../etc/passwd?x=", FakeSample::tox_ransomware().sha1});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.verdicts.at("../../../etc/passwd?x=").classification, Classification::kUnknown);
  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");  // only the real hash was left, so a single query
}

}  // namespace
}  // namespace sb::rl
