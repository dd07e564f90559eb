// SpectraAnalyzeClient against the fake: the exact requests (classification v3, form-encoded v2 list), paging,
// verdict mapping, "Hash not found", status → failure, retries, timeouts, unreadable replies, token kept secret.
#include "rl/spectra_analyze_client.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <set>
#include <string>
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
using test::FakeReversingLabsOptions;
using test::FakeSample;

constexpr std::string_view kListPath = "/api/samples/v2/list/";

struct HttpSettings {
  int max_attempts = 3;
  std::chrono::milliseconds request_timeout{5'000};
};

std::shared_ptr<http::HttpClient> make_http(HttpSettings settings = {}) {
  http::ClientOptions options;
  options.connect_timeout = 2s;
  options.request_timeout = settings.request_timeout;
  options.retry.max_attempts = settings.max_attempts;
  options.retry.base_delay = 1ms;
  options.retry.max_delay = 5ms;
  auto client = http::make_curl_client(options);
  EXPECT_TRUE(client.ok()) << client.error().message;
  return std::shared_ptr<http::HttpClient>(std::move(client).value());
}

std::string classification_path(const std::string& hash) {
  return "/api/samples/v3/" + hash + "/classification/";
}

std::set<std::string> keys_of(simdjson::dom::object object) {
  std::set<std::string> keys;
  for (const auto field : object) keys.emplace(field.key);
  return keys;
}

class SpectraAnalyzeClientTest : public ::testing::Test {
 protected:
  explicit SpectraAnalyzeClientTest(FakeReversingLabsOptions fake_options = {})
      : fake_(FakeProduct::kSpectraAnalyze, std::move(fake_options)) {}

  SpectraAnalyzeOptions options() const {
    SpectraAnalyzeOptions options;
    options.base_url = fake_.base_url();
    options.token = fake_.options().token;
    return options;
  }

  std::unique_ptr<SpectraAnalyzeClient> client(HttpSettings settings = {}) { return client(options(), settings); }

  std::unique_ptr<SpectraAnalyzeClient> client(SpectraAnalyzeOptions options, HttpSettings settings = {}) {
    auto created = SpectraAnalyzeClient::create(make_http(settings), std::move(options));
    EXPECT_TRUE(created.ok()) << created.error().message;
    return std::move(created).value();
  }

  std::vector<std::string> sha1s(uint64_t count, Classification classification, bool add) {
    std::vector<std::string> hashes;
    for (uint64_t i = 0; i < count; ++i) {
      auto sample = FakeSample::generated(1000 + i, classification);
      if (add) fake_.add_sample(sample);
      hashes.push_back(sample.sha1);
    }
    return hashes;
  }

  FakeReversingLabs fake_;
};

//! The same, with a fake that pages the list two results at a time.
class SpectraAnalyzeClientPagedTest : public SpectraAnalyzeClientTest {
 protected:
  SpectraAnalyzeClientPagedTest() : SpectraAnalyzeClientTest(FakeReversingLabsOptions{.page_size = 2}) {}
};

//! The same, with a fake that answers "Hash not found" with 200 rather than 404.
class SpectraAnalyzeClientNotFound200Test : public SpectraAnalyzeClientTest {
 protected:
  SpectraAnalyzeClientNotFound200Test() : SpectraAnalyzeClientTest(FakeReversingLabsOptions{.not_found_status = 200}) {}
};

TEST_F(SpectraAnalyzeClientTest, SingleHashIsOneExactClassificationGetWithToken) {
  const auto delf = FakeSample::delf_trojan();
  fake_.add_sample(delf);
  auto result = client()->lookup(HashType::kSha1, {delf.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, classification_path(delf.sha1));
  EXPECT_EQ(requests[0].query, "localonly=0&av_scanners=1");
  EXPECT_EQ(requests[0].header("Authorization"), "Token fake-sa-token-91c4");
  EXPECT_EQ(requests[0].header("User-Agent"), "spectra-bridge/" SB_VERSION);
}

TEST_F(SpectraAnalyzeClientTest, ListIsFormEncodedWithRepeatedKeys) {
  const auto hashes = sha1s(3, Classification::kMalicious, true);
  auto result = client()->lookup(HashType::kSha1, hashes);
  ASSERT_TRUE(result.ok()) << result.failure->message;

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, kListPath);
  EXPECT_EQ(requests[0].query, "");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].header("Authorization"), "Token fake-sa-token-91c4");
  EXPECT_EQ(requests[0].body, "hash_values=" + hashes[0] + "&hash_values=" + hashes[1] + "&hash_values=" + hashes[2] +
                                  "&fields=sha1&fields=sha256&fields=md5&fields=classification&fields=riskscore"
                                  "&fields=classification_result&fields=classification_reason"
                                  "&fields=local_first_seen&fields=local_last_seen&fields=av_scanners_summary");
  EXPECT_EQ(requests[0].form_values("hash_values"), hashes);
}

TEST_F(SpectraAnalyzeClientTest, LongListsGoOutInBatchesOfAtMost100) {
  const auto hashes = sha1s(201, Classification::kSuspicious, true);
  auto result = client()->lookup(HashType::kSha1, hashes);
  ASSERT_TRUE(result.ok()) << result.failure->message;
  ASSERT_EQ(result.verdicts.size(), 201u);
  for (const auto& [hash, verdict] : result.verdicts) EXPECT_EQ(verdict.classification, Classification::kSuspicious);

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 3u);  // 100 + 100 listed, the last one alone by classification v3
  EXPECT_EQ(requests[0].form_values("hash_values").size(), 100u);
  EXPECT_EQ(requests[1].form_values("hash_values").size(), 100u);
  EXPECT_EQ(requests[2].path, classification_path(hashes.back()));
}

TEST_F(SpectraAnalyzeClientTest, VerdictsForEachClassification) {
  const auto malicious = FakeSample::delf_trojan();
  auto suspicious = FakeSample::generated(1, Classification::kSuspicious);
  auto goodware = FakeSample::generated(2, Classification::kGoodware);
  goodware.risk_score = 0;
  const auto absent = FakeSample::generated(3, Classification::kMalicious);
  for (const auto& sample : {malicious, suspicious, goodware}) fake_.add_sample(sample);
  auto sa = client();

  // One at a time (classification v3) and all at once (v2 list) must agree.
  for (const bool bulk : {false, true}) {
    std::map<std::string, Verdict> verdicts;
    if (bulk) {
      auto result = sa->lookup(HashType::kSha1, {malicious.sha1, suspicious.sha1, goodware.sha1, absent.sha1});
      ASSERT_TRUE(result.ok()) << result.failure->message;
      verdicts = result.verdicts;
    } else {
      for (const auto& hash : {malicious.sha1, suspicious.sha1, goodware.sha1, absent.sha1}) {
        auto result = sa->lookup(HashType::kSha1, {hash});
        ASSERT_TRUE(result.ok()) << result.failure->message;
        verdicts.insert(result.verdicts.begin(), result.verdicts.end());
      }
    }
    SCOPED_TRACE(bulk ? "v2 list" : "classification v3");
    ASSERT_EQ(verdicts.size(), 4u);
    const auto& bad = verdicts.at(malicious.sha1);
    EXPECT_EQ(bad.classification, Classification::kMalicious);
    EXPECT_EQ(bad.threat_name, "Win32.Trojan.Delf");
    EXPECT_EQ(bad.risk_score, 10);
    EXPECT_EQ(bad.detections, 0);
    EXPECT_EQ(bad.scanners, 31);
    EXPECT_EQ(bad.reason, "Antivirus");
    EXPECT_EQ(bad.first_seen, "2022-12-19T11:39:11Z");
    EXPECT_EQ(bad.sha256, malicious.sha256);
    EXPECT_EQ(verdicts.at(suspicious.sha1).classification, Classification::kSuspicious);
    EXPECT_EQ(verdicts.at(suspicious.sha1).risk_score, 7);
    EXPECT_EQ(verdicts.at(suspicious.sha1).detections, 3);
    EXPECT_EQ(verdicts.at(suspicious.sha1).scanners, 47);
    EXPECT_EQ(verdicts.at(goodware.sha1).classification, Classification::kGoodware);
    EXPECT_EQ(verdicts.at(goodware.sha1).risk_score, 0);
    EXPECT_EQ(verdicts.at(absent.sha1).classification, Classification::kUnknown);
    for (const auto& [hash, verdict] : verdicts) {
      EXPECT_EQ(verdict.hash, hash);
      EXPECT_EQ(verdict.provider, "spectra_analyze");
      EXPECT_FALSE(verdict.looked_up_at.empty());
    }
  }
}

TEST_F(SpectraAnalyzeClientTest, FakeClassificationReplyHasTheRealSampleShape) {
  const auto delf = FakeSample::delf_trojan();
  fake_.add_sample(delf);
  auto http = make_http();
  http::Request request;
  request.url = fake_.base_url() + classification_path(delf.sha1) + "?localonly=0&av_scanners=1";
  request.headers.push_back({"Authorization", "Token " + fake_.options().token});
  auto response = http->send(request);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->status, 200);

  simdjson::dom::parser fake_parser;
  simdjson::dom::parser real_parser;
  auto fake = core::parse_json(fake_parser, response->body);
  auto real = core::parse_json(
      real_parser, test::read_text(test::samples_dir() / "spectra-analyze" / "a1000_get_classification_response.json"));
  ASSERT_TRUE(fake.ok() && real.ok());
  EXPECT_EQ(keys_of(fake->get_object().value()), keys_of(real->get_object().value()));
  EXPECT_EQ(keys_of((*fake)["av_scanners"].get_object().value()), keys_of((*real)["av_scanners"].get_object().value()));
}

TEST_F(SpectraAnalyzeClientTest, HashNotFoundWith404IsUnknown) {
  const auto absent = FakeSample::generated(5, Classification::kMalicious);
  auto result = client()->lookup(HashType::kSha256, {absent.sha256});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(absent.sha256).classification, Classification::kUnknown);
  EXPECT_EQ(fake_.request_count(), 1u);
}

TEST_F(SpectraAnalyzeClientNotFound200Test, HashNotFoundWith200IsUnknown) {
  const auto absent = FakeSample::generated(5, Classification::kMalicious);
  auto result = client()->lookup(HashType::kMd5, {absent.md5});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(absent.md5).classification, Classification::kUnknown);
}

TEST_F(SpectraAnalyzeClientTest, BareNotFoundIsUnknown) {
  const auto delf = FakeSample::delf_trojan();
  fake_.add_sample(delf);
  fake_.fail_next(1, 404);
  auto result = client()->lookup(HashType::kSha1, {delf.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(delf.sha1).classification, Classification::kUnknown);
}

TEST_F(SpectraAnalyzeClientTest, HashLeftOutOfListReplyIsUnknown) {
  const auto hashes = sha1s(3, Classification::kMalicious, true);
  fake_.drop_from_bulk(hashes[1]);
  auto result = client()->lookup(HashType::kSha1, hashes);
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(hashes[0]).classification, Classification::kMalicious);
  EXPECT_EQ(result.verdicts.at(hashes[1]).classification, Classification::kUnknown);
  EXPECT_EQ(result.verdicts.at(hashes[2]).classification, Classification::kMalicious);
}

TEST_F(SpectraAnalyzeClientPagedTest, ListFollowsNextPagesWithTheSameBody) {
  const auto hashes = sha1s(5, Classification::kMalicious, true);
  auto result = client()->lookup(HashType::kSha1, hashes);
  ASSERT_TRUE(result.ok()) << result.failure->message;
  for (const auto& hash : hashes) EXPECT_EQ(result.verdicts.at(hash).classification, Classification::kMalicious);

  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].query, "");
  EXPECT_EQ(requests[1].query, "page=2");
  EXPECT_EQ(requests[2].query, "page=3");
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, kListPath);
    EXPECT_EQ(request.body, requests[0].body);
    EXPECT_EQ(request.header("Authorization"), "Token fake-sa-token-91c4");
  }
}

TEST_F(SpectraAnalyzeClientPagedTest, NextPageOnAnotherHostIsRefused) {
  const auto hashes = sha1s(5, Classification::kMalicious, true);
  fake_.set_next_origin(fake_.base_url() + ".evil.example");
  auto result = client()->lookup(HashType::kSha1, hashes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("another host"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 1u);
}

TEST_F(SpectraAnalyzeClientTest, WrongTokenIsCredentialsFailureWithoutRetry) {
  auto wrong = options();
  wrong.token = "not-the-token";
  auto sa = client(wrong);
  auto result = sa->lookup(HashType::kSha1, {FakeSample::delf_trojan().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRefusedForGood);
  EXPECT_NE(result.failure->message.find("spectra_analyze: 401 Unauthorized"), std::string::npos);
  EXPECT_NE(result.failure->message.find("token in [scan.spectra_analyze] was refused"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 1u);
  EXPECT_EQ(sa->counters().failures, 1u);
}

TEST_F(SpectraAnalyzeClientTest, ForbiddenIsPermissionFailure) {
  fake_.fail_next(1, 403);
  auto result = client()->lookup(HashType::kSha1, sha1s(2, Classification::kMalicious, true));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRefusedForGood);
  EXPECT_NE(result.failure->message.find("token lacks the right"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 1u);
}

TEST_F(SpectraAnalyzeClientTest, TooManyRequestsWithRetryAfterThenSuccess) {
  const auto delf = FakeSample::delf_trojan();
  fake_.add_sample(delf);
  fake_.fail_next(1, 429, 1);
  auto sa = client();
  const auto started = std::chrono::steady_clock::now();
  auto result = sa->lookup(HashType::kSha1, {delf.sha1});
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
  EXPECT_EQ(result.verdicts.at(delf.sha1).classification, Classification::kMalicious);
  EXPECT_EQ(fake_.request_count(), 2u);
  EXPECT_EQ(sa->counters().requests, 2u);
}

TEST_F(SpectraAnalyzeClientTest, PersistentTooManyRequestsIsQuotaFailureAndCounted) {
  fake_.fail_next(2, 429, 0);
  auto sa = client({.max_attempts = 2});
  auto result = sa->lookup(HashType::kSha1, sha1s(2, Classification::kMalicious, true));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_EQ(sa->counters().quota_errors, 1u);
  EXPECT_EQ(sa->counters().requests, 2u);
  EXPECT_EQ(sa->counters().hashes, 2u);
}

TEST_F(SpectraAnalyzeClientTest, ServerErrorIsRetriedThenSucceeds) {
  const auto hashes = sha1s(2, Classification::kMalicious, true);
  fake_.fail_next(1, 502);
  auto result = client()->lookup(HashType::kSha1, hashes);
  ASSERT_TRUE(result.ok()) << result.failure->message;
  EXPECT_EQ(result.verdicts.at(hashes[0]).classification, Classification::kMalicious);
  EXPECT_EQ(fake_.request_count(), 2u);
}

TEST_F(SpectraAnalyzeClientTest, PersistentServerErrorIsTransientFailure) {
  fake_.fail_next(3, 500);
  auto result = client({.max_attempts = 3})->lookup(HashType::kSha1, {FakeSample::delf_trojan().sha1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("500 Internal Server Error"), std::string::npos);
  EXPECT_EQ(fake_.request_count(), 3u);
}

TEST_F(SpectraAnalyzeClientTest, SlowResponseBeyondTimeoutIsTransientFailure) {
  // The timeout leaves the fake time to take each request even in a ThreadSanitizer build (several times slower).
  fake_.delay_next(2, 3s);
  auto result = client({.max_attempts = 2, .request_timeout = 800ms})
                    ->lookup(HashType::kSha1, sha1s(2, Classification::kMalicious, true));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_EQ(fake_.request_count(), 2u);
}

TEST_F(SpectraAnalyzeClientTest, BodyThatIsNotJsonIsBadResponseNamingTheRequest) {
  fake_.answer_not_json_next(1);
  auto result = client()->lookup(HashType::kSha1, sha1s(2, Classification::kMalicious, true));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(result.failure->message.find("POST " + fake_.base_url() + std::string(kListPath)), std::string::npos);
}

TEST_F(SpectraAnalyzeClientTest, TokenNeverInLogsOrMessages) {
  const auto token = fake_.options().token;
  test::CapturedStderr captured;
  auto sa = client({.max_attempts = 2});
  fake_.fail_next(1, 503);
  auto ok = sa->lookup(HashType::kSha1, {FakeSample::delf_trojan().sha1});
  fake_.fail_next(1, 401);
  auto refused = sa->lookup(HashType::kSha1, sha1s(2, Classification::kMalicious, true));
  fake_.answer_not_json_next(1);
  auto unreadable = sa->lookup(HashType::kSha1, {FakeSample::delf_trojan().sha1});
  const std::string logs = captured.finish();

  ASSERT_TRUE(ok.ok());
  ASSERT_FALSE(refused.ok());
  ASSERT_FALSE(unreadable.ok());
  EXPECT_NE(logs.find("reversinglabs request"), std::string::npos) << "debug logging was not captured";
  EXPECT_EQ(logs.find(token), std::string::npos);
  EXPECT_EQ(refused.failure->message.find(token), std::string::npos);
  EXPECT_EQ(unreadable.failure->message.find(token), std::string::npos);
}

TEST_F(SpectraAnalyzeClientTest, CreateRejectsBadOptions) {
  auto http = make_http();
  auto no_base = options();
  no_base.base_url.clear();
  auto created = SpectraAnalyzeClient::create(http, no_base);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().message.find("scan.spectra_analyze"), std::string::npos);

  auto no_token = options();
  no_token.token = "";
  EXPECT_FALSE(SpectraAnalyzeClient::create(http, no_token).ok());

  auto plain_http = options();
  plain_http.base_url = "http://a1000.example.com";
  EXPECT_FALSE(SpectraAnalyzeClient::create(http, plain_http).ok());
}

}  // namespace
}  // namespace sb::rl
