// Two threads: the reader reads and parses inputs (CPU), the writer batches rows into the sinks and
// acknowledges inputs only after every sink committed. A bounded queue between them is the backpressure.
#include "pipeline/ingest_pipeline.hpp"

#include <algorithm>
#include <thread>

#include "core/backoff.hpp"
#include "core/bounded_queue.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "detect/report_parser.hpp"
#include "engine/quarantine.hpp"

namespace sb::pipeline {

IngestPipeline::IngestPipeline(std::unique_ptr<engine::Source> source, std::vector<std::unique_ptr<engine::Sink>> sinks,
                               engine::DeadLetterRecorder* dead_letters, IngestOptions options)
    : source_(std::move(source)), sinks_(std::move(sinks)), dead_letters_(dead_letters), options_(options) {}

void IngestPipeline::read_loop(core::BoundedQueue<Item>& queue, const std::stop_token& stop) {
  detect::ReportParser parser;
  while (auto input = source_->next(stop)) {
    Item item;
    item.input = std::move(*input);
    if (item.input.read_error) {
      item.error = item.input.read_error;
    } else {
      item.input.size = item.input.bytes.size();
      stats_.bytes += item.input.size;
      auto parsed = parser.parse(item.input.bytes, core::now_iso8601_utc());
      if (parsed) {
        item.parsed = std::move(parsed).value();
      } else {
        item.error = parsed.error();
      }
      // A stream cannot hold a pending report for later: dead-letter it (with its bytes) for a replay.
      if (!item.error && item.parsed.pending() && source_->dead_letter_keeps_payload()) {
        item.error = core::make_error(
            "report still processing (processed is null) and the stream cannot keep it; replay it once complete");
      }
    }
    // The rows carry everything now; the raw bytes are only kept where a dead letter needs them.
    if (!item.error || !source_->dead_letter_keeps_payload()) std::string().swap(item.input.bytes);
    if (!queue.push(std::move(item))) break;
  }
  queue.close();
}

core::Status IngestPipeline::write_batch(std::vector<Item>& batch) {
  for (auto& item : batch) {
    if (item.error || item.parsed.pending() || item.parsed.rows.empty()) continue;
    for (auto& sink : sinks_) {
      if (auto status = sink->write(item.parsed.rows); !status) return status;
    }
  }
  for (auto& sink : sinks_) {
    if (auto status = sink->flush(); !status) return status;
  }
  for (auto& sink : sinks_) sink->committed();
  return {};
}

core::Status IngestPipeline::commit(std::vector<Item>& batch) {
  if (batch.empty()) return {};
  core::RetrySchedule retry(std::chrono::milliseconds(250), options_.max_retry_backoff, stop_);
  while (true) {
    auto status = write_batch(batch);
    if (status) break;
    for (auto& sink : sinks_) sink->discard();
    if (status.error().refused_for_good()) return status;
    core::log_error("sinks could not commit a batch; retrying",
                    {{"reason", status.error().message}, {"inputs", batch.size()}});
    if (!retry.wait()) return status;
  }
  for (auto& item : batch) acknowledge(item);
  batch.clear();
  return {};
}

void IngestPipeline::acknowledge(Item& item) {
  const auto& name = item.input.name;
  const engine::Outcome outcome = item.error              ? engine::Outcome::kFailed
                                  : item.parsed.pending() ? engine::Outcome::kPending
                                                          : engine::Outcome::kDone;
  auto ack = source_->acknowledge(item.input, outcome, item.error ? &*item.error : nullptr);
  if (ack && ack->requeued) return;  // new content arrived meanwhile; it is read again and judged then

  if (item.error) {
    ++stats_.inputs_failed;
    engine::record_quarantine(*source_, dead_letters_, item.input, *item.error, ack);
    return;
  }
  if (item.parsed.pending()) {
    ++stats_.inputs_pending;
    core::log_info("report still processing (processed is null); left for later",
                   {{"input", name}, {"pending_reports", item.parsed.pending_reports}});
    if (!ack) core::log_error("cannot leave input for later", {{"input", name}, {"reason", ack.error().message}});
    return;
  }
  ++stats_.inputs_done;
  stats_.reports += item.parsed.reports;
  stats_.rows += item.parsed.rows.size();
  if (!ack) {
    core::log_error(
        "rows committed but the input could not be acknowledged; it stays where it is and is read "
        "again after a restart (the store drops the repeated rows)",
        {{"input", name}, {"reason", ack.error().message}});
  }
  core::log_debug("input ingested", {{"input", name}, {"rows", item.parsed.rows.size()}});
}

core::Status IngestPipeline::run(std::stop_token stop) {
  // A failure here stops the reader as well as a stop from outside does.
  std::stop_source local;
  const std::stop_callback forward(stop, [&] { local.request_stop(); });
  stop_ = local.get_token();
  core::BoundedQueue<Item> queue(options_.queue_inputs);
  std::thread reader([&] { read_loop(queue, stop_); });
  std::vector<Item> batch;
  size_t batch_rows = 0;
  size_t batch_bytes = 0;
  core::Status result;
  while (true) {
    auto item = queue.pop_for(options_.flush_interval);
    if (item) {
      batch_rows += item->parsed.rows.size();
      batch_bytes += item->input.size;
      batch.push_back(std::move(*item));
    }
    // Commit when input pauses or ends, or when the batch is full by rows, inputs or bytes (memory bound).
    const bool full = batch_rows >= options_.batch_rows || batch.size() >= options_.batch_inputs ||
                      batch_bytes >= options_.batch_bytes;
    if (!item || full) {
      if (auto status = commit(batch); !status) {
        result = status;
        break;
      }
      batch_rows = 0;
      batch_bytes = 0;
      if (!item && queue.closed_and_empty()) break;
    }
  }
  // On failure: closing makes the reader's next push fail, and the stop flag ends a source that waits.
  // Items still queued are not acknowledged, so they are read again on the next start.
  queue.close();
  if (!result.ok()) local.request_stop();
  reader.join();
  return result;
}

}  // namespace sb::pipeline
