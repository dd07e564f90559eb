// The logs_ingestion output: rows as JSON arrays of at most 1,048,576 bytes (before and after gzip), sent to a DCR
// stream with bounded concurrency and the DCR's rate budget. Every row ends delivered or dead-lettered.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "azure/logs_ingestion_client.hpp"
#include "core/token_bucket.hpp"
#include "detect/row.hpp"
#include "engine/dead_letters.hpp"
#include "engine/output.hpp"

namespace sb::outputs {

struct LogsIngestionOptions {
  size_t max_request_bytes = azure::kMaxRequestBytes;  // JSON array size, and the gzip body's
  size_t max_field_bytes = azure::kMaxFieldBytes;      // longer values are cut (detect/field_limit)
  int concurrency = 2;                                 // requests in flight
  double max_requests_per_minute = 12'000;             // per-DCR service limits; 0 = unlimited
  double max_bytes_per_minute = 2e9;
  bool gzip = true;
  std::stop_token stop;  // ends a wait for the DCR's rate budget
};

//! Totals since start, readable from other threads.
struct LogsIngestionCounters {
  std::atomic<uint64_t> requests{0};  // answered uploads (any status)
  std::atomic<uint64_t> rows_delivered{0};
  std::atomic<uint64_t> rows_dead_lettered{0};
  std::atomic<uint64_t> json_bytes{0};  // of delivered requests, before gzip
  std::atomic<uint64_t> wire_bytes{0};  // of delivered requests, as sent
  std::atomic<uint64_t> delivered_requests{0};
  std::atomic<uint64_t> largest_json_bytes{0};  // of any request sent
  std::atomic<uint64_t> splits{0};              // requests cut in two after a 413 or a 400
  std::atomic<uint64_t> fields_truncated{0};
};

//! Lets a set of strings be searched with a string_view, without building a string.
struct StringHash {
  using is_transparent = void;  // NOLINT(readability-identifier-naming): the name the standard library looks for
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

class LogsIngestionOutput final : public engine::Output<detect::Row> {
 public:
  //! `dead_letters` receives the rows the service refuses for good; it is used on the flushing thread only.
  LogsIngestionOutput(std::unique_ptr<azure::LogsIngestionClient> client, engine::DeadLetterRecorder* dead_letters,
                      LogsIngestionOptions options);

  std::string_view name() const override { return "logs_ingestion"; }
  engine::CommitOrder commit_order() const override { return engine::CommitOrder::kIrrevocable; }
  core::Status write(std::span<const detect::Row> rows) override;
  //! Sends the batch, which ends it either way. Fails only when some rows could not be delivered for now (no
  //! answer, 5xx, throttled past the retries, a token problem); rows already delivered or dead-lettered are not
  //! sent again when the pipeline writes the batch again.
  core::Status flush() override;
  void discard() override;
  void committed() override;
  std::string summary() const override;

  engine::OutputCounters counters() const override { return {counters_.rows_delivered.load(), 0}; }
  //! Requests, bytes, fill and splits since start, readable from other threads.
  const LogsIngestionCounters& delivery_counters() const { return counters_; }

  //! One row waiting to be sent: its JSON is batch_json_[offset, offset + length).
  struct PendingRow {
    const detect::Row* row;  // valid until flush() or discard() returns (see engine::Output::write)
    size_t offset;
    size_t length;
  };

 private:
  struct DeadRow {
    size_t index;  // into pending_
    std::string reason;
  };
  class Delivery;

  std::unique_ptr<azure::LogsIngestionClient> client_;
  engine::DeadLetterRecorder* dead_letters_;
  LogsIngestionOptions options_;
  core::TokenBucket request_budget_;
  core::TokenBucket byte_budget_;
  //! The batch's rows as JSON, one after the other with a ',' between: the rows of a request are one slice.
  std::string batch_json_;
  std::vector<PendingRow> pending_;
  std::unordered_set<std::string_view> batch_ids_;  // record ids in pending_ (views into the rows)
  //! Record ids delivered or dead-lettered in the open batch: a batch written again after a failure skips them. A
  //! dead letter is committed when recorded (the store's own batch transaction opens only inside its flush).
  std::unordered_set<std::string, StringHash, std::equal_to<>> settled_;
  LogsIngestionCounters counters_;
};

}  // namespace sb::outputs
