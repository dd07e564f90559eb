// The Spectra Detect ingest pipeline: task reports in, one SpectraDetectLogs_CL row per analysed file out. Its own
// stage is parse → rows; the delivery engine does the rest (batches, outputs, acknowledgements, retries).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "detect/report_parser.hpp"
#include "detect/row.hpp"
#include "engine/dead_letters.hpp"
#include "engine/output.hpp"
#include "engine/runner.hpp"
#include "engine/source.hpp"

namespace sb::pipeline {

struct IngestOptions {
  size_t batch_rows = 5000;                            // commit after this many rows…
  std::chrono::milliseconds flush_interval{500};       // …or when input pauses this long
  size_t queue_inputs = 16;                            // parsed inputs waiting for the outputs (backpressure)
  size_t batch_inputs = 256;                           // …or after this many inputs (quarantined ones have no rows)
  size_t batch_bytes = 64 * engine::kMiB;              // …or once the batch holds this much input
  std::chrono::milliseconds max_retry_backoff{30000};  // output failures are retried up to this interval
};

//! Counters, readable from another thread for the progress line.
struct IngestStats : engine::RunnerStats {
  std::atomic<uint64_t> reports{0};
  std::atomic<uint64_t> rows{0};
};

//! What is the ingest pipeline's own: a report's bytes become its rows (all of them, or none while one of its
//! reports is still being analysed).
class IngestStage {
 public:
  using Item = detect::Row;
  struct Work : engine::Work<detect::Row> {
    size_t reports = 0;
    size_t pending_reports = 0;
  };

  explicit IngestStage(IngestStats& stats) : stats_(stats) {}

  void start(Work& work);
  core::Status finish(Work&) { return {}; }
  void restart(Work&) {}
  void end_of_input() {}
  void delivered(std::span<const std::span<const Item>>, size_t) {}
  void settled(Work& work, const engine::Settled& settled);
  std::string unkept_pending_reason() const;

 private:
  detect::ReportParser parser_;  // reader thread only
  IngestStats& stats_;
};

class IngestPipeline {
 public:
  //! `dead_letters` (may be null) records quarantined inputs.
  IngestPipeline(std::unique_ptr<engine::Source> source,
                 std::vector<std::unique_ptr<engine::Output<detect::Row>>> outputs,
                 engine::DeadLetterRecorder* dead_letters, IngestOptions options);

  //! Runs until the source is exhausted or a stop is requested on `stop`; in-flight work is finished and acknowledged
  //! first. Fails only when the outputs cannot commit and a stop came during the retries, or one is refused for good.
  core::Status run(std::stop_token stop) { return runner_.run(std::move(stop)); }

  const IngestStats& stats() const { return stats_; }
  engine::Source& source() { return *source_; }
  const std::vector<std::unique_ptr<engine::Output<detect::Row>>>& outputs() const { return outputs_; }

 private:
  std::unique_ptr<engine::Source> source_;
  std::vector<std::unique_ptr<engine::Output<detect::Row>>> outputs_;
  IngestStats stats_;
  IngestStage stage_;
  engine::Runner<IngestStage> runner_;
};

}  // namespace sb::pipeline
