// IngestPipeline over a real sources::FolderSource and the store output: every input acknowledged once, nothing lost
// on stop.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <fmt/format.h>

#include <stop_token>

#include "outputs/store_output.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "sources/folder_source.hpp"
#include "support/test_support.hpp"

namespace sb::pipeline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr size_t kMaxBytes = 1024 * 1024;

//! A small, valid nested-view report; `task` makes its record_id unique.
std::string report(int task) {
  return fmt::format(
      R"({{"task_id": {0}, "submitted": 1700000000, "processed": 1700000001, "tc_report": [{{"info": {{"file": )"
      R"({{"file_name": "f{0}.bin", "hashes": [{{"name": "sha1", "value": "{0:040d}"}}]}}}}, )"
      R"("classification": {{"classification": 3, "factor": 5}}}}]}})",
      task);
}

size_t files_in(const fs::path& folder) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

int64_t store_rows(const fs::path& store) {
  return test::query_int(store, "SELECT COUNT(*) FROM spectra_detect_logs");
}

class IngestPipelineFolderTest : public ::testing::Test {
 protected:
  fs::path inbox() const { return dir_.path() / "inbox"; }
  fs::path store() const { return dir_.path() / "store.db"; }

  void fill_inbox(int good, int bad) {
    fs::create_directories(inbox());
    for (int i = 0; i < good; ++i) std::ofstream(inbox() / fmt::format("good-{:04d}.json", i)) << report(i);
    for (int i = 0; i < bad; ++i) std::ofstream(inbox() / fmt::format("bad-{:04d}.json", i)) << "{\"tc_report\": [";
  }

  std::unique_ptr<IngestPipeline> make_pipeline(bool once, IngestOptions options) {
    sources::FolderSourceOptions source_options;
    source_options.inbox = inbox();
    source_options.max_bytes = kMaxBytes;
    source_options.settle = 0ms;
    source_options.once = once;
    auto source = sources::FolderSource::create(source_options);
    EXPECT_TRUE(source.ok());
    auto output = outputs::make_store_output<detect::Row>(store());
    EXPECT_TRUE(output.ok());
    auto dead_letters = outputs::make_store_dead_letters(store(), "ingest");
    EXPECT_TRUE(dead_letters.ok());
    if (!source.ok() || !output.ok() || !dead_letters.ok()) return nullptr;
    dead_letters_ = std::move(dead_letters).value();
    std::vector<std::unique_ptr<engine::Output<detect::Row>>> outputs;
    outputs.push_back(std::move(output).value());
    return std::make_unique<IngestPipeline>(std::move(source).value(), std::move(outputs), dead_letters_.get(),
                                            options);
  }

  test::TempDir dir_;
  std::unique_ptr<engine::DeadLetterRecorder> dead_letters_;
  std::stop_source stop_;  // what SIGTERM would request
};

TEST_F(IngestPipelineFolderTest, OnceAcknowledgesEveryInputExactlyOnceWithSmallBatches) {
  constexpr int kGood = 300;
  constexpr int kBad = 30;
  fill_inbox(kGood, kBad);
  IngestOptions options;
  options.batch_rows = 1;  // commit (and acknowledge on the writer thread) while the reader thread keeps reading
  options.flush_interval = 1ms;
  options.queue_inputs = 2;
  auto pipeline = make_pipeline(true, options);
  ASSERT_NE(pipeline, nullptr);
  auto status = pipeline->run(stop_.get_token());
  ASSERT_TRUE(status.ok()) << status.error().message;

  EXPECT_EQ(files_in(inbox() / "done"), static_cast<size_t>(kGood));
  EXPECT_EQ(files_in(inbox() / "failed"), static_cast<size_t>(2 * kBad));  // files and their sidecars
  EXPECT_EQ(files_in(inbox()), 0u);
  EXPECT_EQ(store_rows(store()), kGood);
  EXPECT_EQ(pipeline->stats().inputs_done.load(), static_cast<uint64_t>(kGood));
  EXPECT_EQ(pipeline->stats().inputs_failed.load(), static_cast<uint64_t>(kBad));
}

TEST_F(IngestPipelineFolderTest, StopMidBacklogCommitsEverythingItAcknowledgedAndLosesNothing) {
  constexpr int kFiles = 400;
  fill_inbox(kFiles, 0);
  IngestOptions options;
  options.batch_rows = 3;
  options.flush_interval = 1ms;
  options.queue_inputs = 4;
  auto pipeline = make_pipeline(false, options);
  ASSERT_NE(pipeline, nullptr);

  std::atomic<bool> finished{false};
  core::Status status;
  std::thread runner([&] {
    status = pipeline->run(stop_.get_token());
    finished = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (pipeline->stats().inputs_done.load() < 20 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  stop_.request_stop();
  const auto stop_deadline = std::chrono::steady_clock::now() + 5s;
  while (!finished && std::chrono::steady_clock::now() < stop_deadline) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(finished.load()) << "the pipeline did not stop within 5 s";
  runner.join();
  ASSERT_TRUE(status.ok()) << status.error().message;

  const size_t done = files_in(inbox() / "done");
  const size_t left = files_in(inbox());
  EXPECT_GT(done, 0u);
  EXPECT_EQ(done + left, static_cast<size_t>(kFiles)) << "files lost or quarantined";
  EXPECT_EQ(store_rows(store()), static_cast<int64_t>(done)) << "a file in done/ has no rows, or rows were lost";
  EXPECT_EQ(pipeline->stats().inputs_done.load(), done);
}

}  // namespace
}  // namespace sb::pipeline
