// The Spectra Detect ingest pipeline: source → parse/flatten → sinks, at-least-once, bounded memory.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <stop_token>
#include <vector>

#include "core/bounded_queue.hpp"
#include "core/result.hpp"
#include "detect/row.hpp"
#include "engine/sink.hpp"
#include "engine/source.hpp"

namespace sb::pipeline {

struct IngestOptions {
  size_t batch_rows = 5000;                            // commit after this many rows…
  std::chrono::milliseconds flush_interval{500};       // …or when input pauses this long
  size_t queue_inputs = 16;                            // parsed inputs waiting for the sinks (backpressure)
  size_t batch_inputs = 256;                           // …or after this many inputs (quarantined ones have no rows)
  size_t batch_bytes = 64 * 1024 * 1024;               // …or once the batch holds this much input
  std::chrono::milliseconds max_retry_backoff{30000};  // sink failures are retried up to this interval
};

//! Counters, readable from another thread for the progress line.
struct IngestStats {
  std::atomic<uint64_t> inputs_done{0};
  std::atomic<uint64_t> inputs_failed{0};
  std::atomic<uint64_t> inputs_pending{0};
  std::atomic<uint64_t> reports{0};
  std::atomic<uint64_t> rows{0};
  std::atomic<uint64_t> bytes{0};
};

class IngestPipeline {
 public:
  IngestPipeline(std::unique_ptr<engine::Source> source, std::vector<std::unique_ptr<engine::Sink>> sinks,
                 engine::DeadLetterRecorder* dead_letters, IngestOptions options);

  //! Runs until the source is exhausted or a stop is requested; in-flight work is finished and
  //! acknowledged first. Fails only when the sinks cannot commit and a stop came during the retries.
  core::Status run(std::stop_token stop);

  const IngestStats& stats() const { return stats_; }
  engine::Source& source() { return *source_; }
  const std::vector<std::unique_ptr<engine::Sink>>& sinks() const { return sinks_; }

  //! One input on its way from the reader to the writer.
  struct Item {
    engine::Input input;
    detect::ParsedInput parsed;
    std::optional<core::Error> error;
  };

 private:
  void read_loop(core::BoundedQueue<Item>& queue, const std::stop_token& stop);
  core::Status commit(std::vector<Item>& batch);
  core::Status write_batch(std::vector<Item>& batch);
  void acknowledge(Item& item);

  std::unique_ptr<engine::Source> source_;
  std::vector<std::unique_ptr<engine::Sink>> sinks_;
  engine::DeadLetterRecorder* dead_letters_;
  IngestOptions options_;
  IngestStats stats_;
  std::stop_token stop_;  // of the current run(): ends retry waits and the reader
};

}  // namespace sb::pipeline
