// The Defender scan pipeline: Streaming API messages in, one enrichment per alert with files out. Its own stages are
// parse → file hashes → verdicts → enrichments; the delivery engine does the rest.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "defender/enrichment.hpp"
#include "defender/streaming_message.hpp"
#include "engine/dead_letters.hpp"
#include "engine/output.hpp"
#include "engine/runner.hpp"
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
struct ScanStats : engine::RunnerStats {
  std::atomic<uint64_t> records{0};           // AlertEvidence + AlertInfo records read
  std::atomic<uint64_t> rejected_records{0};  // dead-lettered one by one
  std::atomic<uint64_t> alerts{0};
  std::atomic<uint64_t> alerts_without_files{0};
  std::atomic<uint64_t> files{0};
  std::atomic<uint64_t> enrichments{0};  // new enrichments delivered
  std::atomic<uint64_t> replays{0};      // enrichments already delivered before (skipped)
  std::atomic<uint64_t> malicious_alerts{0};
};

//! What is the scan pipeline's own. The reader parses a message and submits its hashes at once, so batches of
//! lookups fill while earlier messages wait; the writer waits for the verdicts and renders the enrichments.
class ScanStage {
 public:
  using Item = defender::Enrichment;
  struct Work : engine::Work<defender::Enrichment> {
    defender::ParsedMessage parsed;
    std::vector<std::string> hashes;  // primary hashes of every alert's files
    std::shared_ptr<ResolveTicket> ticket;
  };

  ScanStage(VerdictResolver& resolver, ScanStats& stats, defender::CommentOptions comment)
      : resolver_(resolver), stats_(stats), comment_(comment) {}

  void start(Work& work);
  //! Waits for the verdicts; a lookup failure is the error (the engine pauses, then restart() asks again).
  core::Status finish(Work& work);
  void restart(Work& work) { work.ticket = resolver_.submit(work.hashes); }
  //! Nothing more is coming: the last partial batches of lookups need not wait for company.
  void end_of_input() { resolver_.flush(); }
  void delivered(std::span<const std::span<const Item>> parts, size_t replays);
  //! Counts the records and dead-letters the bad ones one by one, so the rest of the message still counts.
  void settled(Work& work, const engine::Settled& settled);
  std::string unkept_pending_reason() const { return "a Defender message is never pending"; }

 private:
  defender::StreamingMessageParser parser_;  // reader thread only
  VerdictResolver& resolver_;
  ScanStats& stats_;
  defender::CommentOptions comment_;
};

class ScanPipeline {
 public:
  //! `dead_letters` (may be null) records quarantined inputs and bad records. The output that keeps a ledger (the
  //! store) tells which enrichments were delivered before.
  ScanPipeline(std::unique_ptr<engine::Source> source, VerdictResolver& resolver,
               std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>> outputs,
               engine::DeadLetterRecorder* dead_letters, ScanOptions options);

  //! Runs until the source is exhausted or a stop is requested on `stop`; in-flight work is finished and acknowledged
  //! first. Fails when a provider or an output refuses us for good, or when a stop came while lookups or writes were
  //! being retried; unacknowledged inputs are read again on the next start.
  core::Status run(std::stop_token stop) { return runner_.run(std::move(stop)); }

  const ScanStats& stats() const { return stats_; }
  const engine::Source& source() const { return *source_; }
  const std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>>& outputs() const { return outputs_; }

 private:
  std::unique_ptr<engine::Source> source_;
  std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>> outputs_;
  ScanStats stats_;
  ScanStage stage_;
  engine::Runner<ScanStage> runner_;
};

}  // namespace sb::pipeline
