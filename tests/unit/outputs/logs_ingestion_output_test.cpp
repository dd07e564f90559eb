// The Logs Ingestion sink against the fake service of microsoft.md §4: requests within 1,048,576 bytes before and
// after gzip that fill the limit, every row delivered exactly once across failures and retries, 413 halving, the
// row behind a 400 found and dead-lettered alone, 403/404 dead-lettered with the fix, 401 refreshed once.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <set>

#include "azure/logs_ingestion_client.hpp"
#include "outputs/logs_ingestion_output.hpp"
#include "support/azure_clients.hpp"
#include "support/captured_stderr.hpp"
#include "support/fake_entra.hpp"
#include "support/fake_logs_ingestion.hpp"
#include "support/gunzip.hpp"
#include "support/loopback_server.hpp"

namespace sb::outputs {
namespace {

using detect::Cell;
using detect::ColumnId;
using namespace std::chrono_literals;

//! A row of about `bytes` of JSON whose story holds `story_marker`.
detect::Row make_row(int index, size_t bytes, const std::string& story_marker = "") {
  detect::Row row;
  row[ColumnId::kTimeGenerated] = Cell::of_string("2026-11-23T12:00:00Z");
  row[ColumnId::kTaskId] = Cell::of_string("task-7");
  row[ColumnId::kIndex] = Cell::of_int(index);
  row[ColumnId::kRecordId] = Cell::of_string("rec-" + std::to_string(index));
  row[ColumnId::kStory] = Cell::of_string(story_marker + std::string(bytes, 'a' + static_cast<char>(index % 26)));
  return row;
}

std::vector<detect::Row> make_rows(int count, size_t bytes) {
  std::vector<detect::Row> rows;
  for (int i = 0; i < count; ++i) rows.push_back(make_row(i, bytes));
  return rows;
}

std::vector<std::string> ids(int first, int count) {
  std::vector<std::string> out;
  for (int i = first; i < first + count; ++i) out.push_back("rec-" + std::to_string(i));
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

//! Dead letters as a list, to assert on.
class RecordedDeadLetters final : public engine::DeadLetterRecorder {
 public:
  struct Letter {
    std::string source;
    std::string name;
    std::string reason;
    std::string payload;
  };
  core::Status record(std::string_view source, std::string_view name, const core::Error& reason, std::string_view,
                      std::string_view payload) override {
    letters.push_back({std::string(source), std::string(name), reason.message, std::string(payload)});
    return {};
  }
  std::vector<Letter> letters;
};

class LogsIngestionSinkTest : public testing::Test {
 protected:
  void SetUp() override {
    entra.start();
    service.start();
  }

  std::unique_ptr<outputs::LogsIngestionOutput> make_sink(outputs::LogsIngestionOptions options = {},
                                                          std::string scope = std::string(azure::kMonitorScope)) {
    return make_sink_for({service.url(), service.dcr_immutable_id(), service.stream(), std::move(scope)}, options);
  }

  std::unique_ptr<outputs::LogsIngestionOutput> make_sink_for(const azure::LogsIngestionTarget& target,
                                                              outputs::LogsIngestionOptions options = {},
                                                              std::chrono::milliseconds timeout = 60s) {
    auto client =
        azure::LogsIngestionClient::create(target, test::client_secret_tokens(entra), test::fast_http_client(timeout));
    EXPECT_TRUE(client) << client.error().message;
    return std::make_unique<outputs::LogsIngestionOutput>(std::move(client).value(), &dead, options);
  }

  //! Rows handed to a sink must outlive its next flush (engine::Output::write): the fixture keeps them.
  const std::vector<detect::Row>& keep(std::vector<detect::Row> rows) { return kept_.emplace_back(std::move(rows)); }

  test::FakeEntra entra;
  test::FakeLogsIngestion service{entra};
  RecordedDeadLetters dead;
  std::deque<std::vector<detect::Row>> kept_;
};

TEST_F(LogsIngestionSinkTest, RowsArriveOnceInGzipRequestsThatFillButNeverExceedTheLimit) {
  auto sink = make_sink();
  const auto rows = make_rows(700, 5000);  // about 3.6 MB of JSON
  ASSERT_TRUE(sink->write(rows));
  ASSERT_TRUE(sink->flush());
  sink->committed();

  EXPECT_EQ(sorted(service.accepted_record_ids()), sorted(ids(0, 700)));
  const auto requests = service.ingest_requests();
  ASSERT_EQ(requests.size(), 4u);
  size_t full = 0;
  for (const auto& request : requests) {
    EXPECT_EQ(request.status, 204);
    EXPECT_TRUE(request.gzip);
    EXPECT_LE(request.json_bytes, azure::kMaxRequestBytes);
    EXPECT_LE(request.wire_bytes, azure::kMaxRequestBytes);
    EXPECT_LT(request.wire_bytes, request.json_bytes / 10);
    // Greedy packing: a request is cut only when the next row would not fit.
    if (request.json_bytes > azure::kMaxRequestBytes - 5200) ++full;
  }
  EXPECT_EQ(full, 3u);
  EXPECT_EQ(sink->delivery_counters().rows_delivered, 700u);
  EXPECT_EQ(sink->delivery_counters().delivered_requests, 4u);
  EXPECT_TRUE(dead.letters.empty());
}

TEST_F(LogsIngestionSinkTest, RequestsCarryTheDocumentedUrlHeadersAndAFreshClientRequestId) {
  auto sink = make_sink();
  ASSERT_TRUE(sink->write(keep(make_rows(300, 5000))));
  ASSERT_TRUE(sink->flush());
  const auto requests = service.requests();
  ASSERT_EQ(requests.size(), 2u);
  std::set<std::string> client_ids;
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/dataCollectionRules/" + service.dcr_immutable_id() + "/streams/Custom-SpectraDetectLogs");
    EXPECT_EQ(request.param("api-version"), "2023-01-01");
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    EXPECT_EQ(request.header("Content-Encoding"), "gzip");
    const auto authorization = request.header("Authorization");
    ASSERT_TRUE(authorization.starts_with("Bearer "));
    EXPECT_TRUE(entra.valid(authorization.substr(7), "https://monitor.azure.com"));
    client_ids.insert(request.header("x-ms-client-request-id"));
    // The body is a gzip member of the JSON array of rows.
    const auto json = test::gunzip(request.body);
    ASSERT_TRUE(json.has_value());
    EXPECT_EQ(json->front(), '[');
    EXPECT_EQ(json->back(), ']');
  }
  EXPECT_EQ(client_ids.size(), 2u);
  EXPECT_EQ(entra.token_requests(), 1u);
}

TEST_F(LogsIngestionSinkTest, TheSameRowTwiceInABatchIsSentOnce) {
  auto sink = make_sink();
  const auto rows = make_rows(3, 100);
  ASSERT_TRUE(sink->write(rows));
  ASSERT_TRUE(sink->write(rows));  // the same report in two files of one batch
  ASSERT_TRUE(sink->flush());
  EXPECT_EQ(service.accepted_record_ids(), ids(0, 3));
}

TEST_F(LogsIngestionSinkTest, WithoutGzipTheBodyIsPlainJson) {
  outputs::LogsIngestionOptions options;
  options.gzip = false;
  auto sink = make_sink(options);
  ASSERT_TRUE(sink->write(keep(make_rows(3, 100))));
  ASSERT_TRUE(sink->flush());
  const auto request = service.requests().at(0);
  EXPECT_FALSE(request.has_header("Content-Encoding"));
  EXPECT_EQ(request.body.front(), '[');
  EXPECT_EQ(service.accepted_record_ids(), ids(0, 3));
}

TEST_F(LogsIngestionSinkTest, A413HalvesTheRequestUntilItFits) {
  service.set_max_bytes(200'000);  // a service stricter than the documented limit
  auto sink = make_sink();
  ASSERT_TRUE(sink->write(keep(make_rows(200, 5000))));
  ASSERT_TRUE(sink->flush());
  EXPECT_EQ(sorted(service.accepted_record_ids()), sorted(ids(0, 200)));
  EXPECT_GT(sink->delivery_counters().splits, 0u);
  for (const auto& request : service.ingest_requests()) {
    if (request.status == 204) {
      EXPECT_LE(request.json_bytes, 200'000u);
    }
  }
  EXPECT_TRUE(dead.letters.empty());
}

TEST_F(LogsIngestionSinkTest, ARowThatCanNeverFitIsDeadLetteredAloneAndNeverSent) {
  outputs::LogsIngestionOptions options;
  options.max_request_bytes = 50'000;  // below the 64 KB a single field may keep
  auto sink = make_sink(options);
  auto rows = make_rows(5, 1000);
  rows.push_back(make_row(5, 100'000));  // its story is cut to 64 KB: still more than a request may hold
  ASSERT_TRUE(sink->write(rows));
  ASSERT_TRUE(sink->flush());
  EXPECT_EQ(sorted(service.accepted_record_ids()), sorted(ids(0, 5)));
  ASSERT_EQ(dead.letters.size(), 1u);
  EXPECT_EQ(dead.letters[0].source, "logs_ingestion");
  EXPECT_EQ(dead.letters[0].name, "task-7#5");
  EXPECT_NE(dead.letters[0].reason.find("one Logs Ingestion request holds at most 50000"), std::string::npos)
      << dead.letters[0].reason;
  EXPECT_NE(dead.letters[0].payload.find("\"record_id\":\"rec-5\""), std::string::npos);
  for (const auto& request : service.ingest_requests()) EXPECT_LE(request.json_bytes, 50'000u);
}

TEST_F(LogsIngestionSinkTest, ASingleRowThatTheServiceCallsTooLargeIsDeadLetteredNotLooped) {
  service.set_max_bytes(3000);
  auto sink = make_sink();
  auto rows = make_rows(4, 500);
  rows.push_back(make_row(4, 10'000));
  ASSERT_TRUE(sink->write(rows));
  ASSERT_TRUE(sink->flush());
  EXPECT_EQ(sorted(service.accepted_record_ids()), sorted(ids(0, 4)));
  ASSERT_EQ(dead.letters.size(), 1u);
  EXPECT_EQ(dead.letters[0].name, "task-7#4");
  EXPECT_NE(dead.letters[0].reason.find("HTTP 413 ContentLengthLimitExceeded"), std::string::npos)
      << dead.letters[0].reason;
  EXPECT_NE(dead.letters[0].reason.find("x-ms-request-id"), std::string::npos);
}

TEST_F(LogsIngestionSinkTest, TheRowBehindA400IsFoundAndDeadLetteredAlone) {
  service.reject_rows_containing("POISON", 400, "InvalidContent");
  auto sink = make_sink();
  std::vector<detect::Row> rows = make_rows(64, 200);
  rows[37] = make_row(37, 200, "POISON");
  ASSERT_TRUE(sink->write(rows));
  ASSERT_TRUE(sink->flush());
  auto expected = ids(0, 64);
  expected.erase(expected.begin() + 37);
  EXPECT_EQ(sorted(service.accepted_record_ids()), sorted(expected));
  ASSERT_EQ(dead.letters.size(), 1u);
  EXPECT_EQ(dead.letters[0].name, "task-7#37");
  EXPECT_NE(dead.letters[0].reason.find("HTTP 400 InvalidContent"), std::string::npos) << dead.letters[0].reason;
  // Bisection: about log2(64) halvings, not one request per row.
  EXPECT_LE(service.ingest_requests().size(), 16u);
}

TEST_F(LogsIngestionSinkTest, A400ForEveryRowCostsABoundedNumberOfRequests) {
  service.reject_rows_containing("task-7", 400, "InvalidContent");  // in every row
  auto sink = make_sink();
  ASSERT_TRUE(sink->write(keep(make_rows(2000, 100))));
  ASSERT_TRUE(sink->flush());
  EXPECT_TRUE(service.accepted_record_ids().empty());
  EXPECT_EQ(dead.letters.size(), 2000u);
  EXPECT_LE(service.ingest_requests().size(), 1u + 2u * 32u);
}

TEST_F(LogsIngestionSinkTest, A403DeadLettersTheRowsAndNamesTheMissingRole) {
  service.forbid(true);
  auto sink = make_sink();
  test::CapturedStderr captured;
  ASSERT_TRUE(sink->write(keep(make_rows(10, 100))));
  EXPECT_TRUE(sink->flush());
  const auto logs = captured.finish();
  EXPECT_EQ(dead.letters.size(), 10u);
  EXPECT_NE(dead.letters[0].reason.find("HTTP 403"), std::string::npos);
  EXPECT_NE(dead.letters[0].reason.find("Monitoring Metrics Publisher"), std::string::npos);
  EXPECT_NE(logs.find("x_ms_request_id"), std::string::npos) << logs;
  EXPECT_NE(logs.find("x_ms_error_code"), std::string::npos);
  EXPECT_EQ(service.ingest_requests().size(), 1u);
}

TEST_F(LogsIngestionSinkTest, AWrongDcrIs404DeadLetteredWithTheSettingsToCheck) {
  auto wrong =
      make_sink_for({service.url(), "dcr-does-not-exist", service.stream(), std::string(azure::kMonitorScope)});
  ASSERT_TRUE(wrong->write(keep(make_rows(2, 100))));
  EXPECT_TRUE(wrong->flush());
  ASSERT_EQ(dead.letters.size(), 2u);
  EXPECT_NE(dead.letters[0].reason.find("HTTP 404"), std::string::npos);
  EXPECT_NE(dead.letters[0].reason.find("dcr_immutable_id"), std::string::npos);
}

TEST_F(LogsIngestionSinkTest, ServerErrorsAndThrottlingAreRetriedAndRowsArriveOnce) {
  auto sink = make_sink();
  service.fail_next(500, 2);
  ASSERT_TRUE(sink->write(keep(make_rows(20, 100))));
  ASSERT_TRUE(sink->flush());
  sink->committed();
  service.fail_next(429, 1, "1");
  ASSERT_TRUE(sink->write(keep(make_rows(40, 100))));
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(sink->flush());
  // Retry-After: 1 was waited out (with a little slack for the clock).
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
  auto accepted = service.accepted_record_ids();
  EXPECT_EQ(accepted.size(), 20u + 40u);
  // The second batch repeats the first one's 20 ids (a replay after a commit is sent again: rows carry record_id).
  EXPECT_EQ(std::set<std::string>(accepted.begin(), accepted.end()).size(), 40u);
}

TEST_F(LogsIngestionSinkTest, AnOutageFailsTheFlushAndTheRetriedBatchSendsOnlyWhatWasNotDelivered) {
  outputs::LogsIngestionOptions options;
  options.concurrency = 1;
  auto sink = make_sink(options);
  std::vector<detect::Row> rows = make_rows(300, 5000);  // two requests: rows 0–208 and the rest
  for (int i = 250; i < 300; ++i) rows[i] = make_row(i, 5000, "OUTAGE");
  service.reject_rows_containing("OUTAGE", 503, "ServiceUnavailable");
  ASSERT_TRUE(sink->write(rows));
  auto status = sink->flush();
  ASSERT_FALSE(status);
  EXPECT_FALSE(status.error().refused_for_good());
  const size_t first_delivery = service.accepted_record_ids().size();
  EXPECT_GT(first_delivery, 0u);
  EXPECT_LT(first_delivery, 300u);

  // The pipeline's retry: discard, write the same rows again, flush, once the service is back.
  sink->discard();
  service.clear_rejections();
  ASSERT_TRUE(sink->write(rows));
  ASSERT_TRUE(sink->flush());
  sink->committed();
  EXPECT_EQ(sorted(service.accepted_record_ids()), sorted(ids(0, 300)));
  EXPECT_TRUE(dead.letters.empty());
}

TEST_F(LogsIngestionSinkTest, ARevokedTokenIsReplacedOnceAndTheRequestRepeated) {
  auto sink = make_sink();
  ASSERT_TRUE(sink->write(keep(make_rows(2, 100))));
  ASSERT_TRUE(sink->flush());
  entra.revoke_all();
  ASSERT_TRUE(sink->write(keep({make_row(2, 100)})));
  ASSERT_TRUE(sink->flush());
  EXPECT_EQ(entra.token_requests(), 2u);
  EXPECT_EQ(service.accepted_record_ids(), ids(0, 3));
}

TEST_F(LogsIngestionSinkTest, ATokenRefusedTwiceIsAPermanentFailureThatNamesTheScope) {
  auto sink = make_sink({}, "https://monitor.azure.us/.default");  // a token the service will never accept
  ASSERT_TRUE(sink->write(keep(make_rows(2, 100))));
  auto status = sink->flush();
  ASSERT_FALSE(status);
  EXPECT_TRUE(status.error().refused_for_good());
  EXPECT_NE(status.error().message.find("401"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("scope"), std::string::npos);
  EXPECT_EQ(service.ingest_requests().size(), 2u);  // the first try and the one with a new token
  EXPECT_TRUE(dead.letters.empty());
}

TEST_F(LogsIngestionSinkTest, AFieldOverTheServiceLimitIsCutWithANoteInsteadOfLeftToTheService) {
  auto sink = make_sink();
  ASSERT_TRUE(sink->write(keep({make_row(0, 100'000)})));
  ASSERT_TRUE(sink->flush());
  const auto accepted = service.accepted_rows();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_LT(accepted[0].size(), 66'000u);
  EXPECT_NE(accepted[0].find("[truncated by spectra-bridge: kept "), std::string::npos);
  EXPECT_EQ(sink->delivery_counters().fields_truncated, 1u);
}

TEST_F(LogsIngestionSinkTest, TheRequestBudgetPacesABacklog) {
  outputs::LogsIngestionOptions options;
  options.max_request_bytes = 2000;        // one row per request
  options.max_requests_per_minute = 1200;  // 20 per second, bursts of 20
  auto sink = make_sink(options);
  ASSERT_TRUE(sink->write(keep(make_rows(30, 1500))));
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(sink->flush());
  // 10 requests beyond the burst at 20 per second.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 450ms);
  EXPECT_EQ(service.accepted_record_ids().size(), 30u);
}

TEST_F(LogsIngestionSinkTest, AStopWhileWaitingForTheBudgetFailsTheFlushWithoutLosingRows) {
  outputs::LogsIngestionOptions options;
  options.max_request_bytes = 2000;
  options.max_requests_per_minute = 1;  // the second request would wait a minute
  options.concurrency = 1;
  std::stop_source stop;
  options.stop = stop.get_token();
  auto sink = make_sink(options);
  ASSERT_TRUE(sink->write(keep(make_rows(2, 1500))));
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto status = sink->flush();
  stopper.join();
  ASSERT_FALSE(status);
  EXPECT_EQ(service.accepted_record_ids(), ids(0, 1));
}

TEST_F(LogsIngestionSinkTest, ASlowReplyPastTheTimeoutIsSentAgainAndEveryRowArrives) {
  service.delay_next(1500ms);
  auto sink = make_sink_for(
      {service.url(), service.dcr_immutable_id(), service.stream(), std::string(azure::kMonitorScope)}, {}, 300ms);
  ASSERT_TRUE(sink->write(keep(make_rows(10, 100))));
  ASSERT_TRUE(sink->flush());
  // The slow request may still have been stored after we gave up on it: Log Analytics does not deduplicate, so
  // a row can arrive twice, always with the same record_id (what `summarize arg_max(...) by record_id` drops).
  const auto accepted = service.accepted_record_ids();
  const auto expected = ids(0, 10);
  EXPECT_EQ(std::set<std::string>(accepted.begin(), accepted.end()),
            std::set<std::string>(expected.begin(), expected.end()));
  EXPECT_TRUE(dead.letters.empty());
}

TEST_F(LogsIngestionSinkTest, ResetConnectionsAreRetriedThenFailTheFlushForLaterWithoutDeadLetters) {
  test::RawTcpServer resets;  // closes every connection unanswered
  auto sink =
      make_sink_for({resets.url(), service.dcr_immutable_id(), service.stream(), std::string(azure::kMonitorScope)});
  ASSERT_TRUE(sink->write(keep(make_rows(3, 100))));
  auto status = sink->flush();
  ASSERT_FALSE(status);
  EXPECT_FALSE(status.error().refused_for_good());
  EXPECT_GE(resets.connections(), 5);  // the HTTP client's tries
  EXPECT_TRUE(dead.letters.empty());
}

}  // namespace
}  // namespace sb::outputs
