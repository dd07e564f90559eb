// Verdicts from every real Spectra Intelligence and Spectra Analyze sample, the bulk reply matched by
// query_hash, "Hash not found", and malformed replies.
#include <gtest/gtest.h>

#include "rl/spectra_analyze_response.hpp"
#include "rl/spectra_intelligence_response.hpp"
#include "rl/vendor_classification.hpp"
#include "support/test_support.hpp"

namespace sb::rl {
namespace {

using intel::Classification;
using intel::Verdict;

std::string sample(std::string_view folder, std::string_view name) {
  return test::read_text(test::samples_dir() / std::string(folder) / std::string(name));
}

TEST(IntelligenceResponse, SingleMalwarePresenceSample) {
  IntelligenceResponseParser parser;
  auto verdict = parser.parse_single(sample("spectra-intelligence", "file_reputation_report.json"),
                                     "21841b32c6165b27dddbd4d6eb3a672defe54271");
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_EQ(verdict->classification, Classification::kMalicious);
  EXPECT_EQ(verdict->threat_name, "Win32.Ransomware.Tox");
  EXPECT_EQ(verdict->threat_level, 5);
  EXPECT_EQ(verdict->trust_factor, 5);
  EXPECT_EQ(verdict->detections, 44);
  EXPECT_EQ(verdict->scanners, 47);
  EXPECT_NEAR(*verdict->detection_percent, 93.617, 0.001);
  EXPECT_EQ(verdict->first_seen, "2015-05-30T22:04:00");
  EXPECT_EQ(verdict->last_seen, "2021-04-19T11:10:35");
  EXPECT_EQ(verdict->reason, "antivirus");
  EXPECT_EQ(verdict->sha256, "2f6edf41016e97c58f9de01aa4cc66c9c7fe7dae23fe72e50a69cbd221f55346");
  EXPECT_EQ(verdict->md5, "3133c2231fcee5d6b0b4c988a5201da1");
  EXPECT_EQ(verdict->provider, "spectra_intelligence");
}

TEST(IntelligenceResponse, BulkEntriesMatchedByQueryHashNotPosition) {
  const std::string body = R"({"rl":{"entries":[
      {"status":"KNOWN","trust_factor":0,"query_hash":{"sha1":"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"}},
      {"status":"UNKNOWN","query_hash":{"sha1":"cccccccccccccccccccccccccccccccccccccccc"}},
      {"status":"MALICIOUS","threat_name":"Win32.Trojan.X","query_hash":{"sha256":"aa"}},
      "junk"],"invalid_hashes":["zz"]}})";
  IntelligenceResponseParser parser;
  auto verdicts = parser.parse_bulk(body, "sha1");
  ASSERT_TRUE(verdicts.ok()) << verdicts.error().message;
  ASSERT_EQ(verdicts->size(), 2u);
  EXPECT_EQ(verdicts->at(std::string(40, 'b')).classification, Classification::kGoodware);
  EXPECT_EQ(verdicts->at(std::string(40, 'b')).trust_factor, 0);
  EXPECT_EQ(verdicts->at(std::string(40, 'c')).classification, Classification::kUnknown);
}

TEST(IntelligenceResponse, MalformedReplies) {
  IntelligenceResponseParser parser;
  EXPECT_FALSE(parser.parse_single("<html>502</html>", "x").ok());
  EXPECT_FALSE(parser.parse_single(R"({"rl":{}})", "x").ok());
  EXPECT_FALSE(parser.parse_bulk(R"({"rl":{"entries":{}}})", "sha1").ok());
}

TEST(AnalyzeResponse, ClassificationV3WithAvScanners) {
  AnalyzeResponseParser parser;
  auto verdict = parser.parse_classification(sample("spectra-analyze", "a1000_get_classification_response.json"),
                                             "a94775deb818a4d68635eeed3d16abc7f7b8bdd6");
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_EQ(verdict->classification, Classification::kMalicious);
  EXPECT_EQ(verdict->threat_name, "Win32.Trojan.Delf");
  EXPECT_EQ(verdict->risk_score, 10);
  EXPECT_EQ(verdict->detections, 0);
  EXPECT_EQ(verdict->scanners, 31);
  EXPECT_EQ(verdict->reason, "Antivirus");
  EXPECT_EQ(verdict->first_seen, "2022-12-19T11:39:11Z");
  EXPECT_EQ(verdict->sha1, "a94775deb818a4d68635eeed3d16abc7f7b8bdd6");
  EXPECT_EQ(verdict->provider, "spectra_analyze");
}

TEST(AnalyzeResponse, ClassificationV3WithoutAvScanners) {
  AnalyzeResponseParser parser;
  auto verdict = parser.parse_classification(sample("spectra-analyze", "a1000_sample_classification.json"),
                                             "d1aff4d205b59b1ae3edf152603fa2ae5a7c6cc5");
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(verdict->threat_name, "Win32.Ransomware.Petya");
  EXPECT_FALSE(verdict->scanners.has_value());
}

TEST(AnalyzeResponse, HashNotFoundIsUnknown) {
  AnalyzeResponseParser parser;
  auto verdict = parser.parse_classification(R"({"message":"Hash not found"})", "abc");
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(verdict->classification, Classification::kUnknown);
  EXPECT_EQ(verdict->hash, "abc");
}

TEST(AnalyzeResponse, ListV2KeyedByHash) {
  AnalyzeResponseParser parser;
  auto verdicts = parser.parse_list(sample("spectra-analyze", "a1000_response.json"), "sha1");
  ASSERT_TRUE(verdicts.ok()) << verdicts.error().message;
  ASSERT_EQ(verdicts->size(), 1u);
  const auto& verdict = verdicts->at("a94775deb818a4d68635eeed3d16abc7f7b8bdd6");
  EXPECT_EQ(verdict.classification, Classification::kMalicious);
  EXPECT_EQ(verdict.threat_name, "Win32.Trojan.Delf");
  EXPECT_EQ(verdict.risk_score, 10);
  EXPECT_EQ(verdict.first_seen, "2022-12-19T11:39:10.929115Z");
  EXPECT_FALSE(parser.parse_list(R"({"count":0})", "sha1").ok());
}

TEST(Verdict, ClassificationVocabularies) {
  EXPECT_EQ(from_intelligence_status("KNOWN"), Classification::kGoodware);
  EXPECT_EQ(from_intelligence_status("weird"), Classification::kUnknown);
  EXPECT_EQ(from_analyze_classification("GOODWARE"), Classification::kGoodware);
  EXPECT_EQ(from_analyze_classification(""), Classification::kUnknown);
  EXPECT_LT(Classification::kSuspicious, Classification::kMalicious);
  EXPECT_EQ(classification_name(Classification::kSuspicious), "suspicious");
}

}  // namespace
}  // namespace sb::rl
