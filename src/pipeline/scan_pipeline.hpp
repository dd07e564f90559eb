// The Defender scan pipeline: source → parse streaming messages → resolve each alert's file hashes →
// render one enrichment per alert → writers, at-least-once, with bounded memory.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

#include "core/bounded_queue.hpp"
#include "core/result.hpp"
#include "defender/enrichment.hpp"
#include "defender/streaming_message.hpp"
#include "engine/enrichment_writer.hpp"
#include "engine/sink.hpp"
#include "engine/source.hpp"
#include "pipeline/verdict_resolver.hpp"

namespace sb::pipeline {

struct ScanOptions {
  //! Inputs whose verdicts are on their way. Many in flight let the resolver fill batches of 100 hashes.
  size_t queue_inputs = 512;
  size_t batch_inputs = 256;                           // commit after this many inputs…
  std::chrono::milliseconds flush_interval{500};       // …or when input pauses this long
  std::chrono::milliseconds max_retry_backoff{30000};  // failed lookups and writes are retried up to this interval
  //! Tries of an input's lookups before run() gives up and fails; unset: until they succeed or a stop (a
  //! service waits out an outage, a --once run must end).
  std::optional<int> lookup_tries;
  defender::CommentOptions comment;
};

//! Counters, readable from another thread for the progress line.
struct ScanStats {
  std::atomic<uint64_t> inputs_done{0};
  std::atomic<uint64_t> inputs_failed{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> records{0};           // AlertEvidence + AlertInfo records read
  std::atomic<uint64_t> rejected_records{0};  // dead-lettered one by one
  std::atomic<uint64_t> alerts{0};
  std::atomic<uint64_t> alerts_without_files{0};
  std::atomic<uint64_t> files{0};
  std::atomic<uint64_t> enrichments{0};  // new enrichments delivered
  std::atomic<uint64_t> replays{0};      // enrichments already delivered before (skipped)
  std::atomic<uint64_t> malicious_alerts{0};
};

class ScanPipeline {
 public:
  //! `ledger` (may be null) tells which enrichments were fully delivered before; it must be committed by the
  //! last writer. `dead_letters` may be null.
  ScanPipeline(std::unique_ptr<engine::Source> source, VerdictResolver& resolver,
               std::vector<std::unique_ptr<engine::EnrichmentWriter>> writers, engine::EnrichmentLedger* ledger,
               engine::DeadLetterRecorder* dead_letters, ScanOptions options);

  //! Runs until the source is exhausted or a stop is requested; in-flight work is finished and acknowledged
  //! first. Fails when a provider refuses our credentials (retrying cannot help), or when a stop came while
  //! lookups or writes were being retried; unacknowledged inputs are read again on the next start.
  core::Status run(std::stop_token stop);

  const ScanStats& stats() const { return stats_; }
  const std::vector<std::unique_ptr<engine::EnrichmentWriter>>& writers() const { return writers_; }

  struct Item {
    engine::Input input;
    defender::ParsedMessage parsed;
    std::optional<core::Error> error;
    std::vector<std::string> hashes;  // primary hashes of every alert's files
    std::shared_ptr<ResolveTicket> ticket;
    std::vector<defender::Enrichment> enrichments;
  };

 private:
  void read_loop(core::BoundedQueue<Item>& queue, const std::stop_token& stop);
  //! Waits for the item's verdicts (asking again after transient failures) and builds its enrichments.
  core::Status resolve(Item& item, std::vector<Item>& batch);
  core::Status commit(std::vector<Item>& batch);
  core::Status write_batch(const std::vector<defender::Enrichment>& fresh);
  void acknowledge(Item& item);

  std::unique_ptr<engine::Source> source_;
  VerdictResolver& resolver_;
  std::vector<std::unique_ptr<engine::EnrichmentWriter>> writers_;
  engine::EnrichmentLedger* ledger_;
  engine::DeadLetterRecorder* dead_letters_;
  ScanOptions options_;
  ScanStats stats_;
  std::stop_token stop_;  // of the current run(): ends retry waits and the reader
};

}  // namespace sb::pipeline
