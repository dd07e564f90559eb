// IngestPipeline when a sink fails: inputs acknowledged only after every sink committed, dead letters not repeated.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <stop_token>

#include "outputs/ndjson_output.hpp"
#include "outputs/store_output.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "sources/files_source.hpp"
#include "sources/folder_source.hpp"
#include "support/test_support.hpp"

namespace sb::pipeline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr size_t kMaxBytes = 1024 * 1024;

using Outputs = std::vector<std::unique_ptr<engine::Output<detect::Row>>>;

//! An output whose first `failures` flushes fail (a service that is briefly down).
class FlakySink final : public engine::Output<detect::Row> {
 public:
  explicit FlakySink(int failures, fs::path watched = {}) : failures_left_(failures), watched_(std::move(watched)) {}
  std::string_view name() const override { return "flaky"; }
  engine::CommitOrder commit_order() const override { return engine::CommitOrder::kIrrevocable; }
  core::Status write(std::span<const detect::Row> rows) override {
    open_rows_ += rows.size();
    return {};
  }
  core::Status flush() override {
    ++flush_attempts_;
    if (failures_left_ > 0) {
      --failures_left_;
      open_rows_ = 0;
      // The input must still be where it was while its effects are not committed.
      if (!watched_.empty() && !fs::exists(watched_)) acknowledged_too_early_ = true;
      return core::make_error("flaky sink: service unavailable");
    }
    committed_rows_ += open_rows_;
    open_rows_ = 0;
    return {};
  }
  void discard() override {
    ++discards_;
    open_rows_ = 0;
  }

  std::atomic<int> flush_attempts_{0};
  std::atomic<size_t> committed_rows_{0};
  std::atomic<bool> acknowledged_too_early_{false};
  std::atomic<int> discards_{0};

 private:
  int failures_left_;
  fs::path watched_;
  size_t open_rows_ = 0;
};

int64_t count(const fs::path& store, const std::string& table) {
  return test::query_int(store, "SELECT COUNT(*) FROM " + table);
}

class IngestPipelineRetryTest : public ::testing::Test {
 protected:
  fs::path inbox() const { return dir_.path() / "inbox"; }
  fs::path store() const { return dir_.path() / "store.db"; }

  void write_report(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary)
        << test::read_text(test::samples_dir() / "spectra-detect" / "tiscale_response.json");
  }

  static IngestOptions fast_options() {
    IngestOptions options;
    options.flush_interval = 20ms;
    options.max_retry_backoff = 200ms;
    return options;
  }

  std::unique_ptr<sources::FolderSource> folder(bool once) {
    sources::FolderSourceOptions options;
    options.inbox = inbox();
    options.max_bytes = kMaxBytes;
    options.settle = 0ms;
    options.once = once;
    auto source = sources::FolderSource::create(options);
    EXPECT_TRUE(source.ok());
    return source.ok() ? std::move(source).value() : nullptr;
  }

  test::TempDir dir_;
  std::stop_source stop_;  // what SIGTERM would request
};

TEST_F(IngestPipelineRetryTest, InputIsAcknowledgedOnlyAfterEverySinkCommitted) {
  write_report(inbox() / "report.json");
  auto source = folder(true);
  ASSERT_NE(source, nullptr);
  auto flaky = std::make_unique<FlakySink>(2, inbox() / "report.json");
  auto* sink = flaky.get();
  Outputs sinks;
  sinks.push_back(std::move(flaky));
  IngestPipeline pipeline(std::move(source), std::move(sinks), nullptr, fast_options());
  auto status = pipeline.run(stop_.get_token());
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(sink->flush_attempts_.load(), 3);
  EXPECT_FALSE(sink->acknowledged_too_early_.load()) << "the file left the inbox before the sink committed";
  EXPECT_EQ(sink->committed_rows_.load(), 1u);
  EXPECT_TRUE(fs::exists(inbox() / "done" / "report.json"));
}

TEST_F(IngestPipelineRetryTest, StopDuringASinkOutageLeavesTheInputInTheInbox) {
  write_report(inbox() / "report.json");
  auto source = folder(false);
  ASSERT_NE(source, nullptr);
  auto flaky = std::make_unique<FlakySink>(INT_MAX);
  auto* sink = flaky.get();
  Outputs sinks;
  sinks.push_back(std::move(flaky));
  IngestPipeline pipeline(std::move(source), std::move(sinks), nullptr, fast_options());

  std::atomic<bool> finished{false};
  core::Status status;
  std::thread runner([&] {
    status = pipeline.run(stop_.get_token());
    finished = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 4s;
  while (sink->flush_attempts_.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  stop_.request_stop();
  const auto stop_deadline = std::chrono::steady_clock::now() + 4s;
  while (!finished && std::chrono::steady_clock::now() < stop_deadline) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(finished.load()) << "the pipeline did not stop during the outage";
  runner.join();
  EXPECT_FALSE(status.ok()) << "a stop during an outage must report that the batch was not committed";
  EXPECT_TRUE(fs::exists(inbox() / "report.json")) << "an uncommitted input was acknowledged";
  EXPECT_FALSE(fs::exists(inbox() / "done" / "report.json"));
  EXPECT_FALSE(fs::exists(inbox() / "failed" / "report.json"));
}

TEST_F(IngestPipelineRetryTest, DeadLetterIsRecordedOnceWhenTheBatchIsRetried) {
  const fs::path bad = dir_.path() / "bad.json";
  std::ofstream(bad) << "{not json";
  const fs::path good = dir_.path() / "good.json";
  write_report(good);
  auto store_sink = outputs::make_store_output<detect::Row>(store());
  ASSERT_TRUE(store_sink.ok());
  auto dead_letters = outputs::make_store_dead_letters(store(), "ingest");
  ASSERT_TRUE(dead_letters.ok());
  engine::DeadLetterRecorder* recorder = dead_letters->get();
  Outputs sinks;
  sinks.push_back(std::move(store_sink).value());
  sinks.push_back(std::make_unique<FlakySink>(1));
  IngestPipeline pipeline(std::make_unique<sources::FilesSource>(std::vector<fs::path>{bad, good}, kMaxBytes),
                          std::move(sinks), recorder, fast_options());
  auto status = pipeline.run(stop_.get_token());
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(count(store(), "spectra_detect_logs"), 1);
  EXPECT_EQ(count(store(), "dead_letters"), 1) << "the bad input was recorded again when its batch was retried";
  EXPECT_EQ(pipeline.stats().inputs_failed.load(), 1u);
}

//! Regression: a failed commit left the other sinks' batches open, so the retry wrote NDJSON rows twice.
TEST_F(IngestPipelineRetryTest, FailedCommitDiscardsEverySinksBatchSoTheRetryWritesRowsOnce) {
  const fs::path good = dir_.path() / "good.json";
  write_report(good);
  const fs::path ndjson = dir_.path() / "rows.ndjson";
  auto ndjson_sink = outputs::make_ndjson_output<detect::Row>(ndjson.string());
  ASSERT_TRUE(ndjson_sink.ok());
  auto flaky = std::make_unique<FlakySink>(2);
  FlakySink* flaky_view = flaky.get();
  Outputs sinks;
  sinks.push_back(std::move(ndjson_sink).value());
  sinks.push_back(std::move(flaky));
  IngestPipeline pipeline(std::make_unique<sources::FilesSource>(std::vector<fs::path>{good}, kMaxBytes),
                          std::move(sinks), nullptr, fast_options());
  ASSERT_TRUE(pipeline.run(stop_.get_token()).ok());
  EXPECT_EQ(flaky_view->discards_.load(), 2);
  std::ifstream in(ndjson);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), static_cast<long>(pipeline.stats().rows.load()));
}

}  // namespace
}  // namespace sb::pipeline
