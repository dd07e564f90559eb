// ScanPipeline over real sources and writers with a fake provider: one enrichment per alert with files, the
// store's enrichments table as the ledger (replays skipped), bad input quarantined (whole inputs to failed/, bad
// records dead-lettered one by one), transient provider failures retried, permanent ones fatal and unacknowledged.
#include "pipeline/scan_pipeline.hpp"

#include <simdjson.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <stop_token>

#include "outputs/ndjson_output.hpp"
#include "outputs/store_output.hpp"
#include "sources/files_source.hpp"
#include "sources/folder_source.hpp"
#include "support/fake_provider.hpp"
#include "support/test_support.hpp"

namespace sb::pipeline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using intel::Classification;
using Kind = test::FakeFailure;
using test::FakeProvider;

constexpr size_t kMaxBytes = 1024 * 1024;
constexpr auto kPatience = 10s;  // only ever a deadline against hangs, never a measured duration

std::string sha1(size_t n) {
  std::string hash = fmt::format("{:040x}", n);
  hash[0] = 'c';
  return hash;
}

std::string sha256(size_t n) {
  std::string hash = fmt::format("{:064x}", n);
  hash[0] = 'd';
  return hash;
}

std::string json_or_null(const std::string& text) {
  return text.empty() ? "null" : "\"" + text + "\"";
}

//! An AlertEvidence record for a file (empty hashes are null), as the Streaming API sends it.
std::string evidence(const std::string& alert, const std::string& sha1_hash, const std::string& sha256_hash = {},
                     const std::string& file_name = "payload.exe") {
  return fmt::format(
      R"({{"time":"2024-09-10T04:00:06.8088202Z","category":"AdvancedHunting-AlertEvidence",)"
      R"("properties":{{"AlertId":"{}","EntityType":"File","EvidenceRole":"Impacted","SHA1":{},"SHA256":{},)"
      R"("FileName":"{}","FolderPath":"C:\\Users\\Public","DeviceName":"pc1"}}}})",
      alert, json_or_null(sha1_hash), json_or_null(sha256_hash), file_name);
}

std::string info(const std::string& alert, const std::string& title, const std::string& severity = "High") {
  return fmt::format(R"({{"time":"2024-09-10T04:00:06.8088202Z","category":"AdvancedHunting-AlertInfo",)"
                     R"("properties":{{"AlertId":"{}","Title":"{}","Severity":"{}","Category":"Malware"}}}})",
                     alert, title, severity);
}

std::string message(const std::vector<std::string>& records) {
  std::string out = R"({"records":[)";
  for (size_t i = 0; i < records.size(); ++i) out += (i > 0 ? "," : "") + records[i];
  return out + "]}";
}

size_t files_in(const fs::path& folder) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::istringstream in(test::read_text(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

//! What a run left behind, copied out of the pipeline's atomics.
struct ScanResult {
  core::Status status;
  uint64_t inputs_done = 0;
  uint64_t inputs_failed = 0;
  uint64_t records = 0;
  uint64_t rejected_records = 0;
  uint64_t alerts = 0;
  uint64_t alerts_without_files = 0;
  uint64_t files = 0;
  uint64_t enrichments = 0;
  uint64_t replays = 0;
  uint64_t malicious_alerts = 0;
};

ScanResult result_of(core::Status status, const ScanStats& stats) {
  ScanResult result;
  result.status = std::move(status);
  result.inputs_done = stats.inputs_done.load();
  result.inputs_failed = stats.inputs_failed.load();
  result.records = stats.records.load();
  result.rejected_records = stats.rejected_records.load();
  result.alerts = stats.alerts.load();
  result.alerts_without_files = stats.alerts_without_files.load();
  result.files = stats.files.load();
  result.enrichments = stats.enrichments.load();
  result.replays = stats.replays.load();
  result.malicious_alerts = stats.malicious_alerts.load();
  return result;
}

class ScanPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override { provider_ = std::make_shared<FakeProvider>("spectra_intelligence"); }

  fs::path inbox() const { return dir_.path() / "inbox"; }
  fs::path store() const { return dir_.path() / "store.db"; }
  fs::path ndjson() const { return dir_.path() / "enrichments.ndjson"; }

  int64_t count(const std::string& sql) const { return test::query_int(store(), sql); }
  int64_t enrichment_rows() const { return count("SELECT COUNT(*) FROM enrichments"); }
  int64_t scan_dead_letters() const { return count("SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'scan'"); }

  //! Writes a file into the inbox (or anywhere), returning its path.
  fs::path drop(const std::string& name, const std::string& content, const fs::path& folder = {}) {
    const fs::path target = (folder.empty() ? inbox() : folder) / name;
    fs::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
    return target;
  }

  std::unique_ptr<engine::Source> folder(size_t max_bytes = kMaxBytes) {
    sources::FolderSourceOptions options;
    options.inbox = inbox();
    options.max_bytes = max_bytes;
    options.settle = 0ms;
    options.once = true;
    auto source = sources::FolderSource::create(options);
    EXPECT_TRUE(source.ok()) << source.error().message;
    return source.ok() ? std::move(source).value() : nullptr;
  }

  static ScanOptions fast_options() {
    ScanOptions options;
    options.flush_interval = 20ms;
    options.max_retry_backoff = 100ms;
    return options;
  }

  static ResolverOptions resolver_options() {
    ResolverOptions options;
    options.max_wait = 20ms;
    return options;
  }

  //! Builds the pipeline: an optional NDJSON writer first, the store writer last (ledger + dead letters).
  std::unique_ptr<ScanPipeline> make_pipeline(std::unique_ptr<engine::Source> source, VerdictResolver& resolver,
                                              bool with_ndjson, ScanOptions options = fast_options()) {
    if (source == nullptr) return nullptr;
    std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>> writers;
    if (with_ndjson) {
      auto writer = outputs::make_ndjson_output<defender::Enrichment>(ndjson().string());
      EXPECT_TRUE(writer.ok()) << writer.error().message;
      if (!writer.ok()) return nullptr;
      writers.push_back(std::move(writer).value());
    }
    auto store_writer = outputs::make_store_output<defender::Enrichment>(store());
    EXPECT_TRUE(store_writer.ok()) << store_writer.error().message;
    auto dead_letters = outputs::make_store_dead_letters(store(), "scan");
    EXPECT_TRUE(dead_letters.ok()) << dead_letters.error().message;
    if (!store_writer.ok() || !dead_letters.ok()) return nullptr;
    writers.push_back(std::move(store_writer).value());
    dead_letters_ = std::move(dead_letters).value();
    return std::make_unique<ScanPipeline>(std::move(source), resolver, std::move(writers), dead_letters_.get(),
                                          options);
  }

  ScanResult scan(std::unique_ptr<engine::Source> source, bool with_ndjson = false,
                  ScanOptions options = fast_options()) {
    VerdictResolver resolver({provider_}, nullptr, resolver_options());
    auto pipeline = make_pipeline(std::move(source), resolver, with_ndjson, std::move(options));
    if (pipeline == nullptr) return ScanResult{core::make_error("the pipeline could not be built"), {}};
    core::Status status = pipeline->run(stop_.get_token());
    return result_of(std::move(status), pipeline->stats());
  }

  std::shared_ptr<FakeProvider> provider_;
  test::TempDir dir_;
  std::unique_ptr<engine::DeadLetterRecorder> dead_letters_;
  std::stop_source stop_;  // what SIGTERM would request
};

// ---- enrichment ----

TEST_F(ScanPipelineTest, OneEnrichmentPerAlertWithFiles) {
  provider_->set_verdict(sha1(1), Classification::kMalicious, "Win32.Trojan.Test");
  provider_->set_verdict(sha1(2), Classification::kGoodware);
  drop("message.json", message({info("a1", "Suspicious file"), evidence("a1", sha1(1), sha256(1), "evil.exe"),
                                evidence("a1", sha1(2), {}, "good.dll"), evidence("a2", {}, sha256(3), "other.bin"),
                                info("a3", "No files here")}));
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;

  EXPECT_EQ(enrichment_rows(), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'a1' AND classification = 'malicious' AND "
                  "threat_name = 'Win32.Trojan.Test'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'a2' AND classification = 'unknown'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'a3'"), 0) << "an alert without files";
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'a1' AND comment LIKE '%evil.exe%' AND "
                  "marker LIKE 'spectra-bridge:a1:%'"),
            1);

  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_EQ(result.inputs_failed, 0u);
  EXPECT_EQ(result.records, 5u);
  EXPECT_EQ(result.alerts, 3u);
  EXPECT_EQ(result.alerts_without_files, 1u);
  EXPECT_EQ(result.files, 3u);
  EXPECT_EQ(result.enrichments, 2u);
  EXPECT_EQ(result.replays, 0u);
  EXPECT_EQ(result.malicious_alerts, 1u);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "message.json"));
  EXPECT_EQ(files_in(inbox()), 0u);

  // Each file is looked up by its primary hash: sha1 when there is one, else sha256.
  EXPECT_EQ(provider_->times_asked(sha1(1)), 1u);
  EXPECT_EQ(provider_->times_asked(sha256(1)), 0u);
  EXPECT_EQ(provider_->times_asked(sha256(3)), 1u);
}

TEST_F(ScanPipelineTest, RealDefenderCaptureAsNdjsonIsEnriched) {
  const fs::path sample = test::samples_dir() / "defender" / "elastic_m365_defender_event_test-alert.ndjson";
  provider_->set_verdict("eff06d27e192d18afb00237ca00c4e5dd4012345", Classification::kSuspicious);
  const ScanResult result = scan(std::make_unique<sources::FilesSource>(std::vector<fs::path>{sample}, kMaxBytes));
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(enrichment_rows(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'da638034938542195558_2006612345' AND "
                  "classification = 'suspicious'"),
            1);
  EXPECT_EQ(result.alerts, 2u);
  EXPECT_EQ(result.alerts_without_files, 1u);
  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_TRUE(fs::exists(sample)) << "a file-list source leaves its files where they are";
}

TEST_F(ScanPipelineTest, AlertInfoOnlyMessageIsDoneWithoutEnrichments) {
  drop("info.json", message({info("i1", "Only context"), info("i2", "More context")}));
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(enrichment_rows(), 0);
  EXPECT_EQ(result.alerts_without_files, 2u);
  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "info.json"));
  EXPECT_EQ(provider_->call_count(), 0u);
}

// ---- replays: the enrichments table is the ledger ----

TEST_F(ScanPipelineTest, SameMessageDroppedIntoTheInboxAgainIsNotEnrichedTwice) {
  const std::string content = message({evidence("r1", sha1(11)), evidence("r2", sha1(12)), info("r1", "Replayed")});
  drop("message.json", content);
  const ScanResult first = scan(folder());
  ASSERT_TRUE(first.status.ok()) << first.status.error().message;
  ASSERT_EQ(enrichment_rows(), 2);
  EXPECT_EQ(first.enrichments, 2u);

  drop("message.json", content);  // the same message delivered again
  const ScanResult second = scan(folder());
  ASSERT_TRUE(second.status.ok()) << second.status.error().message;
  EXPECT_EQ(enrichment_rows(), 2) << "a replayed message was enriched a second time";
  EXPECT_EQ(second.enrichments, 0u);
  EXPECT_EQ(second.replays, 2u);
  EXPECT_EQ(second.inputs_done, 1u);
  EXPECT_EQ(files_in(inbox()), 0u) << "the replay is acknowledged like any input";
  EXPECT_EQ(files_in(inbox() / "done"), 2u);
}

TEST_F(ScanPipelineTest, ScanningTheSameFileAgainViaAFileListIsAReplay) {
  const fs::path file =
      drop("alerts.json", message({evidence("f1", sha1(21)), evidence("f2", {}, sha256(22))}), dir_.path() / "export");
  const ScanResult first = scan(std::make_unique<sources::FilesSource>(std::vector<fs::path>{file}, kMaxBytes));
  ASSERT_TRUE(first.status.ok()) << first.status.error().message;
  ASSERT_EQ(enrichment_rows(), 2);
  const ScanResult again = scan(std::make_unique<sources::FilesSource>(std::vector<fs::path>{file}, kMaxBytes));
  ASSERT_TRUE(again.status.ok()) << again.status.error().message;
  EXPECT_EQ(enrichment_rows(), 2);
  EXPECT_EQ(again.enrichments, 0u);
  EXPECT_EQ(again.replays, 2u);
}

TEST_F(ScanPipelineTest, SameMessageTwiceInOneRunIsEnrichedOnce) {
  // At-least-once delivery: Event Hubs (or a file list naming one export twice) can hand the same message over
  // twice in quick succession, so both copies land in one commit batch.
  const fs::path file =
      drop("twice.json", message({evidence("t1", sha1(31)), evidence("t2", sha1(32))}), dir_.path() / "export");
  ScanOptions options = fast_options();
  options.flush_interval = 5s;  // one commit batch for both copies (the source's end closes it, no wait)
  const ScanResult result = scan(std::make_unique<sources::FilesSource>(std::vector<fs::path>{file, file}, kMaxBytes),
                                 /*with_ndjson=*/true, options);
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(enrichment_rows(), 2);
  EXPECT_EQ(result.inputs_done, 2u);
  EXPECT_EQ(result.enrichments, 2u) << "the second copy was counted as a new enrichment";
  EXPECT_EQ(result.replays, 2u) << "the second copy was not counted as a replay";
  EXPECT_EQ(lines_of(ndjson()).size(), 2u) << "the NDJSON writer received the same enrichment twice";
}

// ---- quarantine ----

TEST_F(ScanPipelineTest, WholeInputFailuresMoveToFailedWithASidecarAndThePipelineGoesOn) {
  drop("not-json.json", "this is not json {");
  drop("records-not-array.json", R"({"records":"x"})");
  drop("good.json", message({evidence("g1", sha1(41))}));
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;

  EXPECT_EQ(result.inputs_failed, 2u);
  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_EQ(enrichment_rows(), 1);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "good.json"));
  EXPECT_EQ(files_in(inbox()), 0u);
  EXPECT_EQ(files_in(inbox() / "failed"), 4u);  // two inputs and their sidecars

  const std::map<std::string, std::string> expected_reason{{"not-json.json", "invalid JSON"},
                                                           {"records-not-array.json", "records is a string"}};
  simdjson::dom::parser parser;
  for (const auto& [name, reason] : expected_reason) {
    const fs::path sidecar = inbox() / "failed" / (name + ".error.json");
    ASSERT_TRUE(fs::exists(inbox() / "failed" / name)) << name;
    ASSERT_TRUE(fs::exists(sidecar)) << sidecar;
    const simdjson::padded_string text(test::read_text(sidecar));
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << "the sidecar is not JSON";
    std::string_view written_reason;
    ASSERT_EQ(doc["reason"].get(written_reason), simdjson::SUCCESS);
    EXPECT_NE(written_reason.find(reason), std::string_view::npos) << written_reason;
  }
  EXPECT_EQ(scan_dead_letters(), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'scan' AND location LIKE '%failed%' AND "
                  "reason <> ''"),
            2);
}

TEST_F(ScanPipelineTest, InputTooLargeIsQuarantined) {
  drop("huge.json", message({evidence("h1", sha1(51), {}, std::string(4096, 'x'))}));
  drop("small.json", message({evidence("s1", sha1(52))}));
  const ScanResult result = scan(folder(/*max_bytes=*/1024));
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(result.inputs_failed, 1u);
  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_TRUE(fs::exists(inbox() / "failed" / "huge.json"));
  EXPECT_TRUE(fs::exists(inbox() / "failed" / "huge.json.error.json"));
  EXPECT_EQ(enrichment_rows(), 1);
  EXPECT_EQ(scan_dead_letters(), 1);
}

TEST_F(ScanPipelineTest, BadRecordsAreDeadLetteredOneByOneWhileGoodRecordsAreEnriched) {
  provider_->set_verdict(sha1(61), Classification::kMalicious);
  drop("mixed.json", message({
                         evidence("mixed", "1234"),                  // records[0]: sha1 of the wrong length
                         evidence("mixed", sha1(61)),                // records[1]: good, same alert
                         evidence("bad", {}, std::string(64, 'g')),  // records[2]: sha256 not hex
                         evidence("bad", std::string(40, '0')),      // records[3]: sha1 all zeros
                         R"("a string, not a record")",              // records[4]: wrong type
                         R"({"category":"AdvancedHunting-AlertInfo","properties":[]})",  // records[5]
                         evidence("good", sha1(62)),                                     // records[6]
                     }));
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;

  EXPECT_TRUE(fs::exists(inbox() / "done" / "mixed.json")) << "a message with some bad records is still done";
  EXPECT_FALSE(fs::exists(inbox() / "failed" / "mixed.json"));
  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_EQ(result.inputs_failed, 0u);
  EXPECT_EQ(result.rejected_records, 5u);

  EXPECT_EQ(scan_dead_letters(), 5) << "each bad record is dead-lettered on its own";
  EXPECT_EQ(count("SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'scan' AND name LIKE '%mixed.json%' AND "
                  "payload IS NOT NULL AND reason <> ''"),
            5);
  for (int index : {0, 2, 3, 4, 5}) {
    EXPECT_EQ(count(fmt::format("SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'scan' AND name LIKE "
                                "'%records[{}]%'",
                                index)),
              1)
        << "records[" << index << "]";
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM dead_letters WHERE name LIKE '%records[0]%' AND reason LIKE '%expected 40%' "
                  "AND CAST(payload AS TEXT) LIKE '%1234%'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dead_letters WHERE name LIKE '%records[3]%' AND reason LIKE '%all zeros%'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dead_letters WHERE name LIKE '%records[2]%' AND reason LIKE '%hexadecimal%'"),
            1);

  // Good records of the same message are enriched, including the good file of an alert with a bad one.
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'mixed' AND classification = 'malicious'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'good'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'bad'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE hashes LIKE '%1234%'"), 0);
}

TEST_F(ScanPipelineTest, BadRecordIsDeadLetteredOnceWhenItsLookupsAreRetried) {
  provider_->fail_next(Kind::kTransient, 2);
  drop("once.json", message({evidence("x", "not-a-hash"), evidence("y", sha1(63))}));
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(scan_dead_letters(), 1) << "the bad record was recorded again when the input was retried";
  EXPECT_EQ(result.rejected_records, 1u);
  EXPECT_EQ(enrichment_rows(), 1);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "once.json"));
}

// ---- provider failures ----

class ScanPipelineRetryTest : public ScanPipelineTest, public ::testing::WithParamInterface<Kind> {};

TEST_P(ScanPipelineRetryTest, PassingProviderFailureIsRetriedUntilTheInputIsEnriched) {
  provider_->set_verdict(sha1(71), Classification::kMalicious);
  provider_->fail_next(GetParam(), 2);
  drop("retry.json", message({evidence("retry", sha1(71))}));
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(provider_->call_count(), 3u);
  EXPECT_EQ(enrichment_rows(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrichments WHERE alert_id = 'retry' AND classification = 'malicious'"), 1)
      << "the enrichment must carry the verdict obtained after the provider recovered";
  EXPECT_EQ(result.inputs_done, 1u);
  EXPECT_EQ(result.inputs_failed, 0u);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "retry.json"));
  EXPECT_EQ(scan_dead_letters(), 0);
}

INSTANTIATE_TEST_SUITE_P(ScanPipelinePassingFailures, ScanPipelineRetryTest,
                         ::testing::Values(Kind::kTransient, Kind::kQuota, Kind::kBadResponse),
                         test::failure_kind_label);

class ScanPipelinePermanentTest : public ScanPipelineTest, public ::testing::WithParamInterface<Kind> {};

TEST_P(ScanPipelinePermanentTest, PermanentProviderFailureFailsTheRunAndLeavesTheInputInTheInbox) {
  provider_->fail_always(GetParam());
  drop("refused.json", message({evidence("refused", sha1(81))}));
  const ScanResult result = scan(folder());
  ASSERT_FALSE(result.status.ok()) << "a provider refusing our credentials must fail the run";
  EXPECT_NE(result.status.error().message.find("spectra_intelligence"), std::string::npos)
      << result.status.error().message;
  EXPECT_TRUE(fs::exists(inbox() / "refused.json")) << "an input without verdicts was acknowledged";
  EXPECT_FALSE(fs::exists(inbox() / "done" / "refused.json"));
  EXPECT_FALSE(fs::exists(inbox() / "failed" / "refused.json")) << "a provider failure is not the input's fault";
  EXPECT_EQ(enrichment_rows(), 0);
  EXPECT_EQ(scan_dead_letters(), 0);
  EXPECT_EQ(result.inputs_done, 0u);
  EXPECT_EQ(result.inputs_failed, 0u);
}

INSTANTIATE_TEST_SUITE_P(ScanPipelinePermanentFailures, ScanPipelinePermanentTest,
                         ::testing::Values(Kind::kCredentials, Kind::kPermission), test::failure_kind_label);

TEST_F(ScanPipelineTest, AOnceRunGivesUpOnAnOutageAfterItsTriesAndLeavesTheInput) {
  provider_->fail_always(Kind::kBadResponse);
  drop("outage.json", message({evidence("outage", sha1(83))}));
  ScanOptions options = fast_options();
  options.lookup_tries = 3;
  const ScanResult result = scan(folder(), false, options);
  ASSERT_FALSE(result.status.ok()) << "a --once run must end while a provider keeps failing";
  EXPECT_NE(result.status.error().message.find("giving up after 3 tries"), std::string::npos)
      << result.status.error().message;
  EXPECT_EQ(provider_->call_count(), 3u);
  EXPECT_TRUE(fs::exists(inbox() / "outage.json"));
  EXPECT_EQ(enrichment_rows(), 0);
}

TEST_F(ScanPipelineTest, AfterAPermanentFailureIsFixedTheInputIsEnrichedOnTheNextRun) {
  provider_->set_verdict(sha1(82), Classification::kGoodware);
  provider_->fail_always(Kind::kCredentials);
  drop("later.json", message({evidence("later", sha1(82))}));
  ASSERT_FALSE(scan(folder()).status.ok());
  provider_->clear_failures();  // the operator fixed the credentials
  const ScanResult result = scan(folder());
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;
  EXPECT_EQ(enrichment_rows(), 1);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "later.json"));
}

// ---- NDJSON writer ----

TEST_F(ScanPipelineTest, NdjsonWriterWritesOneLinePerEnrichmentWithItsMarker) {
  provider_->set_verdict(sha1(91), Classification::kMalicious, "Win32.Ndjson");
  const std::map<std::string, std::string> hash_of_alert{{"n1", sha1(91)}, {"n2", sha1(92)}, {"n3", sha256(93)}};
  drop("ndjson.json", message({evidence("n1", sha1(91)), evidence("n2", sha1(92)), evidence("n3", {}, sha256(93)),
                               info("n4", "No files"), info("n1", "Ndjson title")}));
  const ScanResult result = scan(folder(), /*with_ndjson=*/true);
  ASSERT_TRUE(result.status.ok()) << result.status.error().message;

  const auto lines = lines_of(ndjson());
  ASSERT_EQ(lines.size(), 3u);
  simdjson::dom::parser parser;
  std::set<std::string> alerts;
  for (const auto& line : lines) {
    const simdjson::padded_string text(line);
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << line;
    std::string_view alert;
    std::string_view marker;
    ASSERT_EQ(doc["alert_id"].get(alert), simdjson::SUCCESS) << line;
    ASSERT_EQ(doc["marker"].get(marker), simdjson::SUCCESS) << "no marker in " << line;
    const std::string alert_id(alert);
    alerts.insert(alert_id);
    ASSERT_EQ(hash_of_alert.count(alert_id), 1u) << alert_id;
    EXPECT_EQ(std::string(marker), "spectra-bridge:" + alert_id + ":" + hash_of_alert.at(alert_id));
    EXPECT_EQ(count(fmt::format("SELECT COUNT(*) FROM enrichments WHERE marker = '{}'", std::string(marker))), 1)
        << "the NDJSON line and the store row share the marker";
    if (alert_id == "n1") {
      std::string_view classification;
      std::string_view title;
      ASSERT_EQ(doc["classification"].get(classification), simdjson::SUCCESS);
      ASSERT_EQ(doc["title"].get(title), simdjson::SUCCESS);
      EXPECT_EQ(classification, "malicious");
      EXPECT_EQ(title, "Ndjson title");
    }
  }
  EXPECT_EQ(alerts, (std::set<std::string>{"n1", "n2", "n3"}));

  // A replay adds no NDJSON lines: the ledger says those enrichments were delivered.
  drop("ndjson.json", test::read_text(inbox() / "done" / "ndjson.json"));
  const ScanResult replay = scan(folder(), /*with_ndjson=*/true);
  ASSERT_TRUE(replay.status.ok()) << replay.status.error().message;
  EXPECT_EQ(lines_of(ndjson()).size(), 3u);
  EXPECT_EQ(replay.replays, 3u);
}

// ---- coalescing and batching through the pipeline ----

TEST_F(ScanPipelineTest, AlertsSharingAHashAcrossInputsCauseOneLookup) {
  constexpr int kInputs = 5;
  constexpr int kAlertsPerInput = 4;
  const std::string shared = sha1(101);
  provider_->set_verdict(shared, Classification::kMalicious);
  for (int i = 0; i < kInputs; ++i) {
    std::vector<std::string> records;
    for (int a = 0; a < kAlertsPerInput; ++a) records.push_back(evidence(fmt::format("s{}-{}", i, a), shared));
    drop(fmt::format("shared-{}.json", i), message(records));
  }
  provider_->pause();  // the first lookup stays in flight until every input asked for the hash
  VerdictResolver resolver({provider_}, nullptr, resolver_options());
  auto pipeline = make_pipeline(folder(), resolver, false);
  ASSERT_NE(pipeline, nullptr);
  core::Status status;
  std::thread runner([&] { status = pipeline->run(stop_.get_token()); });
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (resolver.counters().asked.load() < static_cast<uint64_t>(kInputs) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(resolver.counters().asked.load(), static_cast<uint64_t>(kInputs)) << "not every input was read";
  provider_->resume();
  runner.join();
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(provider_->times_asked(shared), 1u) << "N alerts sharing a hash must cause one request";
  EXPECT_EQ(enrichment_rows(), kInputs * kAlertsPerInput);
  EXPECT_EQ(files_in(inbox() / "done"), static_cast<size_t>(kInputs));
  EXPECT_EQ(pipeline->stats().malicious_alerts.load(), static_cast<uint64_t>(kInputs * kAlertsPerInput));
}

TEST_F(ScanPipelineTest, HashesOfManyInputsAreBatchedByTypeInLookupsOfAtMostOneHundred) {
  constexpr size_t kInputs = 6;
  constexpr size_t kAlertsPerInput = 50;
  std::set<std::string> expected;
  size_t n = 0;
  for (size_t i = 0; i < kInputs; ++i) {
    std::vector<std::string> records;
    for (size_t a = 0; a < kAlertsPerInput; ++a, ++n) {
      const bool by_sha256 = n % 5 == 0;
      const std::string hash = by_sha256 ? sha256(n + 1) : sha1(n + 1);
      expected.insert(hash);
      records.push_back(by_sha256 ? evidence(fmt::format("b{}", n), {}, hash) : evidence(fmt::format("b{}", n), hash));
    }
    drop(fmt::format("batch-{}.json", i), message(records));
  }
  provider_->pause();
  VerdictResolver resolver({provider_}, nullptr, resolver_options());
  auto pipeline = make_pipeline(folder(), resolver, false);
  ASSERT_NE(pipeline, nullptr);
  core::Status status;
  std::thread runner([&] { status = pipeline->run(stop_.get_token()); });
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (resolver.counters().asked.load() < expected.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  provider_->resume();
  runner.join();
  ASSERT_TRUE(status.ok()) << status.error().message;

  std::multiset<std::string> asked;
  for (const auto& call : provider_->calls()) {
    EXPECT_LE(call.hashes.size(), 100u);
    for (const auto& hash : call.hashes) {
      EXPECT_EQ(hash.size(), core::hex_length(call.type)) << "a lookup mixed hash types";
      asked.insert(hash);
    }
  }
  EXPECT_EQ(asked, std::multiset<std::string>(expected.begin(), expected.end())) << "each hash asked exactly once";
  EXPECT_EQ(enrichment_rows(), static_cast<int64_t>(kInputs * kAlertsPerInput));
}

}  // namespace
}  // namespace sb::pipeline
