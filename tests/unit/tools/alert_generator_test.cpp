// Tests for the synthetic Defender XDR message generator: parseable, realistic columns, valid hashes,
// deterministic bytes, and hashes shared with the Spectra Detect file pool; plus `gen defender`.
#include "tools/generators/alert_generator.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.hpp"
#include "defender/streaming_message.hpp"
#include "support/test_support.hpp"
#include "tools/generators/report_generator.hpp"

namespace sb::tools {
namespace {

using namespace defender;  // the generated data is read back with the domain parsers

constexpr uint64_t kSampleAlerts = 1000;

DefenderGeneratorOptions options_for(uint64_t alert_count, uint64_t seed = 1) {
  DefenderGeneratorOptions options;
  options.seed = seed;
  options.alert_count = alert_count;
  return options;
}

//! Every message of `options`, parsed; a message that fails to parse fails the test.
std::vector<ParsedMessage> parse_all(const DefenderGeneratorOptions& options) {
  StreamingMessageParser parser;
  std::vector<ParsedMessage> out;
  for (uint64_t m = 0; m < defender_message_count(options); ++m) {
    auto parsed = parser.parse(generate_defender_message(options, m));
    EXPECT_TRUE(parsed.ok()) << "message " << m << ": " << parsed.error().message;
    if (parsed.ok()) out.push_back(std::move(parsed).value());
  }
  return out;
}

//! The kSampleAlerts alerts of seed 1, parsed once per process: several tests read them.
const std::vector<Alert>& sample_alerts() {
  static const std::vector<Alert> alerts = [] {
    std::vector<Alert> all;
    for (auto& message : parse_all(options_for(kSampleAlerts))) {
      for (auto& alert : message.alerts) all.push_back(std::move(alert));
    }
    return all;
  }();
  return alerts;
}

bool is_lower_hex(std::string_view value, size_t length) {
  return value.size() == length && std::all_of(value.begin(), value.end(),
                                               [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

//! The key a file is counted under: its SHA-1, else SHA-256, else MD5 (the parser's own preference).
std::string file_key(const FileEvidence& file) {
  if (!file.sha1.empty()) return file.sha1;
  return file.sha256.empty() ? file.md5 : file.sha256;
}

//! The text between `{"records":[` and `]}` of a message.
std::string records_of(const std::string& message) {
  constexpr std::string_view kOpen = R"({"records":[)";
  constexpr std::string_view kClose = "]}\n";
  EXPECT_TRUE(message.starts_with(kOpen));
  EXPECT_TRUE(message.ends_with(kClose));
  return message.substr(kOpen.size(), message.size() - kOpen.size() - kClose.size());
}

// ---------------------------------------------------------------------------------------------
// Shape.

TEST(DefenderGenerator, MessageCountRoundsUpAndTreatsZeroAsOne) {
  DefenderGeneratorOptions options = options_for(25);
  options.alerts_per_message = 10;
  EXPECT_EQ(defender_message_count(options), 3u);
  options.alerts_per_message = 5;
  EXPECT_EQ(defender_message_count(options), 5u);
  options.alerts_per_message = 0;
  EXPECT_EQ(defender_message_count(options), 25u);
  options.alert_count = 0;
  EXPECT_EQ(defender_message_count(options), 0u);
}

TEST(DefenderGenerator, EveryMessageParsesWithNoRejectedRecord) {
  DefenderGeneratorOptions options = options_for(205);
  options.alerts_per_message = 10;
  const auto messages = parse_all(options);
  ASSERT_EQ(messages.size(), 21u);
  for (size_t m = 0; m < messages.size(); ++m) {
    const ParsedMessage& message = messages[m];
    EXPECT_TRUE(message.rejected.empty()) << message.rejected.front().reason;
    EXPECT_EQ(message.alerts.size(), m + 1 < messages.size() ? 10u : 5u);
    EXPECT_EQ(message.info_records, message.alerts.size());
    EXPECT_EQ(message.other_records, 0u);
    // Every alert names at least its user or device or mail besides AlertInfo.
    EXPECT_GE(message.evidence_records, 2 * message.alerts.size());
  }
}

TEST(DefenderGenerator, MessagesAreOneLineAndStayUnderTheEventHubsLimit) {
  constexpr size_t kEventHubsMaxMessage = 1024 * 1024;  // Standard tier
  const DefenderGeneratorOptions options = options_for(100);
  for (uint64_t m = 0; m < defender_message_count(options); ++m) {
    const std::string message = generate_defender_message(options, m);
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1);
    EXPECT_EQ(message.back(), '\n');
    EXPECT_LT(message.size(), kEventHubsMaxMessage);
  }
}

TEST(DefenderGenerator, RecordsUseTheDocumentedColumnsAndTypes) {
  const std::string message = generate_defender_message(options_for(30), 0);
  simdjson::dom::parser parser;
  simdjson::dom::parser inner;
  // Copied out of simdjson's temporaries, so the range-for never sees a dangling one.
  const simdjson::dom::element root = parser.parse(message).value();
  const simdjson::dom::array records = root["records"].get_array().value();
  std::set<std::string> entity_types;
  for (const simdjson::dom::element record : records) {
    for (const char* key : {"time", "tenantId", "operationName", "category", "_TimeReceivedBySvc"}) {
      ASSERT_TRUE(record[key].is_string()) << key;
    }
    EXPECT_EQ(std::string_view(record["operationName"].get_string().value()), "Publish");
    const std::string_view category = record["category"].get_string().value();
    const simdjson::dom::object properties = record["properties"].get_object().value();
    // Timestamps carry 7 fractional digits, as Defender writes them.
    const std::string_view timestamp = properties["Timestamp"].get_string().value();
    EXPECT_EQ(timestamp.size(), std::string_view("2024-05-21T23:37:19.7996118Z").size()) << timestamp;
    EXPECT_TRUE(properties["AlertId"].is_string());
    // AttackTechniques is a JSON array inside a string, or "".
    const std::string techniques(properties["AttackTechniques"].get_string().value());
    if (!techniques.empty()) {
      EXPECT_TRUE(inner.parse(techniques).is_array()) << techniques;
    }
    if (category == "AdvancedHunting-AlertInfo") {
      for (const char* key : {"Title", "Category", "Severity", "ServiceSource", "DetectionSource"}) {
        EXPECT_TRUE(properties[key].is_string()) << key;
      }
      continue;
    }
    ASSERT_EQ(category, "AdvancedHunting-AlertEvidence");
    entity_types.insert(std::string(properties["EntityType"].get_string().value()));
    for (const char* key : {"EvidenceRole", "Title", "Categories", "ServiceSource", "DetectionSource", "Severity"}) {
      EXPECT_TRUE(properties[key].is_string()) << key;
    }
    for (const char* key : {"SHA1", "SHA256", "FileName", "FolderPath", "DeviceId", "DeviceName", "AccountName",
                            "RemoteIP", "RemoteUrl", "EvidenceDirection", "ThreatFamily", "ProcessCommandLine"}) {
      EXPECT_TRUE(properties[key].is_string() || properties[key].is_null()) << key;
    }
    EXPECT_TRUE(properties["FileSize"].is_int64() || properties["FileSize"].is_null());
    EXPECT_TRUE(properties["ApplicationId"].is_int64() || properties["ApplicationId"].is_null());
    // AdditionalFields is a JSON object inside a string.
    const std::string additional(properties["AdditionalFields"].get_string().value());
    EXPECT_TRUE(inner.parse(additional).is_object()) << additional;
  }
  for (const char* type : {"File", "Process", "Machine", "User", "Ip"}) EXPECT_EQ(entity_types.count(type), 1u) << type;
}

// ---------------------------------------------------------------------------------------------
// Alerts and files.

TEST(DefenderGenerator, AlertsHaveInfoAndSeveralFiles) {
  const auto& alerts = sample_alerts();
  ASSERT_EQ(alerts.size(), kSampleAlerts);
  size_t with_files = 0;
  size_t with_several = 0;
  size_t files = 0;
  std::map<std::string, size_t> sources;
  for (const Alert& alert : alerts) {
    EXPECT_TRUE(alert.has_info) << alert.alert_id;
    EXPECT_FALSE(alert.title.empty());
    EXPECT_FALSE(alert.severity.empty());
    ++sources[alert.service_source];
    // Defender for Endpoint alerts always name the file they are about.
    if (alert.alert_id.starts_with("da")) {
      EXPECT_FALSE(alert.files.empty()) << alert.alert_id;
    }
    if (!alert.files.empty()) ++with_files;
    if (alert.files.size() >= 2) ++with_several;
    files += alert.files.size();
  }
  EXPECT_GT(with_files, kSampleAlerts * 8 / 10);
  EXPECT_GT(with_several, kSampleAlerts * 4 / 10);
  EXPECT_GT(files, 2 * kSampleAlerts);
  EXPECT_EQ(sources.size(), 3u);  // Endpoint, Office 365, Identity Protection
  EXPECT_GT(sources["Microsoft Defender for Endpoint"], kSampleAlerts / 2);
}

TEST(DefenderGenerator, HashesAreValidLowerCaseAndVaryLikeRealEvidence) {
  size_t md5_only = 0;
  size_t with_md5 = 0;
  size_t sha256_only = 0;
  size_t without_sha256 = 0;
  for (const Alert& alert : sample_alerts()) {
    for (const FileEvidence& file : alert.files) {
      EXPECT_TRUE(file.sha1.empty() || is_lower_hex(file.sha1, 40)) << file.sha1;
      EXPECT_TRUE(file.sha256.empty() || is_lower_hex(file.sha256, 64)) << file.sha256;
      EXPECT_TRUE(file.md5.empty() || is_lower_hex(file.md5, 32)) << file.md5;
      EXPECT_FALSE(file.file_name.empty());
      if (!file.md5.empty()) ++with_md5;
      if (file.sha1.empty() && file.sha256.empty()) ++md5_only;
      if (file.sha1.empty() && !file.sha256.empty()) ++sha256_only;  // mail attachments
      if (file.sha256.empty()) ++without_sha256;                     // "usually not populated"
    }
  }
  // MD5 only ever travels inside AdditionalFields; the parser must find it there.
  EXPECT_GT(with_md5, 0u);
  EXPECT_GT(md5_only, 0u);
  EXPECT_GT(sha256_only, 0u);
  EXPECT_GT(without_sha256, 0u);
}

TEST(DefenderGenerator, FilesOverlapTheSharedDetectPool) {
  std::set<std::string> pool;
  for (uint64_t k = 0; k < tools::kPoolSize; ++k) pool.insert(tools::pool_file(1, k).sha1);
  size_t sha1s = 0;
  size_t pooled = 0;
  for (const Alert& alert : sample_alerts()) {
    for (const FileEvidence& file : alert.files) {
      if (file.sha1.empty()) continue;
      ++sha1s;
      if (pool.count(file.sha1) != 0) ++pooled;
    }
  }
  ASSERT_GT(sha1s, 0u);
  const double share = static_cast<double>(pooled) / static_cast<double>(sha1s);
  EXPECT_GT(share, 0.85);  // most alert files are in generated Spectra Detect reports
  EXPECT_LT(share, 0.99);  // and a few are known nowhere
}

TEST(DefenderGenerator, PopularHashesRepeatAcrossAlerts) {
  std::map<std::string, size_t> alerts_per_hash;
  size_t file_entries = 0;
  for (const Alert& alert : sample_alerts()) {
    for (const FileEvidence& file : alert.files) {
      ++alerts_per_hash[file_key(file)];
      ++file_entries;
    }
  }
  size_t most = 0;
  for (const auto& [hash, count] : alerts_per_hash) most = std::max(most, count);
  EXPECT_LT(alerts_per_hash.size() * 2, file_entries);  // far fewer distinct files than sightings
  EXPECT_GE(most, 20u);                                 // and some are everywhere
}

TEST(DefenderGenerator, ReportSeedChoosesThePool) {
  DefenderGeneratorOptions options = options_for(20);
  options.report_seed = 7;
  std::set<std::string> pool;
  for (uint64_t k = 0; k < tools::kPoolSize; ++k) pool.insert(tools::pool_file(7, k).sha1);
  size_t pooled = 0;
  for (const auto& message : parse_all(options)) {
    for (const Alert& alert : message.alerts) {
      for (const FileEvidence& file : alert.files) pooled += pool.count(file.sha1);
    }
  }
  EXPECT_GT(pooled, 10u);
}

// ---------------------------------------------------------------------------------------------
// Ids and determinism.

TEST(DefenderGenerator, AlertIdsAreUniqueAndFollowTheMessageLayout) {
  DefenderGeneratorOptions options = options_for(kSampleAlerts);
  const auto& alerts = sample_alerts();
  std::set<std::string> ids;
  for (uint64_t n = 0; n < alerts.size(); ++n) {
    // Alert n sits at position n % per_message of message n / per_message: the order of sample_alerts().
    EXPECT_EQ(defender_alert_id(options, n), alerts[n].alert_id);
    ids.insert(alerts[n].alert_id);
  }
  EXPECT_EQ(ids.size(), alerts.size());
}

TEST(DefenderGenerator, AlertIdsHaveEachProducersShape) {
  const auto all_of = [](std::string_view text, std::string_view alphabet) {
    return !text.empty() && text.find_first_not_of(alphabet) == std::string_view::npos;
  };
  for (const Alert& alert : sample_alerts()) {
    const std::string_view id = alert.alert_id;
    if (alert.service_source == "Microsoft Defender for Endpoint") {
      // "da638034938542195558_2006612345": .NET ticks, then a number.
      const size_t underscore = id.find('_');
      ASSERT_EQ(underscore, 20u) << id;
      EXPECT_TRUE(id.starts_with("da")) << id;
      EXPECT_TRUE(all_of(id.substr(2, underscore - 2), "0123456789")) << id;
      EXPECT_TRUE(all_of(id.substr(underscore + 1), "0123456789")) << id;
    } else if (alert.service_source == "Microsoft Defender for Office 365") {
      EXPECT_TRUE(id.starts_with("fa")) << id;  // "fa" + GUID
      EXPECT_EQ(id.size(), 2u + 36u) << id;
    } else {
      EXPECT_TRUE(id.starts_with("ad")) << id;  // Entra ID Protection: "ad" + 40 hex digits
      EXPECT_TRUE(is_lower_hex(id.substr(2), 40)) << id;
    }
  }
}

TEST(DefenderGenerator, SameOptionsGiveSameBytes) {
  DefenderGeneratorOptions options = options_for(40, 99);
  EXPECT_EQ(generate_defender_message(options, 2), generate_defender_message(options, 2));
  EXPECT_NE(generate_defender_message(options, 0), generate_defender_message(options, 1));
  DefenderGeneratorOptions other_seed = options;
  other_seed.seed = 100;
  EXPECT_NE(generate_defender_message(options, 0), generate_defender_message(other_seed, 0));
  DefenderGeneratorOptions other_pool = options;
  other_pool.report_seed = 2;
  EXPECT_NE(generate_defender_message(options, 0), generate_defender_message(other_pool, 0));
}

TEST(DefenderGenerator, RegroupingAlertsChangesNoRecord) {
  DefenderGeneratorOptions ten = options_for(20);
  ten.alerts_per_message = 10;
  DefenderGeneratorOptions five = ten;
  five.alerts_per_message = 5;
  EXPECT_EQ(records_of(generate_defender_message(ten, 1)),
            records_of(generate_defender_message(five, 2)) + "," + records_of(generate_defender_message(five, 3)));
}

TEST(DefenderGenerator, MessageBytesArePinned) {
  // Pins the output for every compiler and platform: a change here breaks reproducing old test data
  // and benchmarks. Update the digest only for an intended change of the generated messages.
  DefenderGeneratorOptions options = options_for(3);
  options.alerts_per_message = 3;
  EXPECT_EQ(core::hex_digest(core::Digest::kSha256, generate_defender_message(options, 0)),
            "024ccc46cd47c05c068d73818801ad16d7ae1cde822b38496d58161f58692445");
}

}  // namespace
}  // namespace sb::tools

namespace sb::test {
namespace {

TEST(GenDefenderCli, WritesOneMessagePerFileAndExitsZero) {
  TempDir dir;
  const auto out = dir.path() / "defender";
  const auto result =
      run_binary({"gen", "defender", "--count", "50", "--seed", "3", "--out", out.string()}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 5u);  // 50 alerts, 10 to a message, one message to a file
  EXPECT_EQ(names.front(), "defender-000000.json");
  EXPECT_EQ(names.back(), "defender-000004.json");
  defender::StreamingMessageParser parser;
  size_t alerts = 0;
  for (const auto& name : names) {
    auto parsed = parser.parse(read_text(out / name));
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().message;
    EXPECT_TRUE(parsed->rejected.empty()) << name;
    alerts += parsed->alerts.size();
  }
  EXPECT_EQ(alerts, 50u);
  // The files hold exactly what the library generates for the same options.
  tools::DefenderGeneratorOptions options;
  options.seed = 3;
  options.alert_count = 50;
  EXPECT_EQ(read_text(out / "defender-000001.json"), tools::generate_defender_message(options, 1));
}

TEST(GenDefenderCli, GroupsMessagesIntoLinesWhenAsked) {
  TempDir dir;
  const auto out = dir.path() / "defender";
  const auto result = run_binary({"gen", "defender", "--count", "40", "--alerts-per-message", "5",
                                  "--messages-per-file", "3", "--report-seed", "2", "--out", out.string()},
                                 dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // 8 messages, three to a file: 3 + 3 + 2 lines.
  std::vector<size_t> lines;
  for (const auto* name : {"defender-000000.ndjson", "defender-000001.ndjson", "defender-000002.ndjson"}) {
    const std::string text = read_text(out / name);
    lines.push_back(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  }
  EXPECT_EQ(lines, (std::vector<size_t>{3, 3, 2}));
  EXPECT_FALSE(std::filesystem::exists(out / "defender-000003.ndjson"));
}

TEST(GenDefenderCli, RejectsZeroAlertsPerMessage) {
  TempDir dir;
  const auto result =
      run_binary({"gen", "defender", "--count", "5", "--alerts-per-message", "0", "--out", (dir.path() / "x").string()},
                 dir.path());
  EXPECT_NE(result.exit_code, 0);
}

}  // namespace
}  // namespace sb::test
