// Two threads: the reader parses messages and submits their hashes to the resolver at once (so batches fill
// while earlier inputs wait); the writer takes inputs in order, waits for their verdicts, renders, commits
// to every writer and only then acknowledges. The bounded queue between them is the backpressure.
#include "pipeline/scan_pipeline.hpp"

#include <fmt/format.h>

#include <set>
#include <thread>

#include "core/backoff.hpp"
#include "core/log.hpp"
#include "engine/quarantine.hpp"

namespace sb::pipeline {
namespace {

constexpr auto kFirstRetryDelay = std::chrono::milliseconds(250);

}  // namespace

ScanPipeline::ScanPipeline(std::unique_ptr<engine::Source> source, VerdictResolver& resolver,
                           std::vector<std::unique_ptr<engine::EnrichmentWriter>> writers,
                           engine::EnrichmentLedger* ledger, engine::DeadLetterRecorder* dead_letters,
                           ScanOptions options)
    : source_(std::move(source)),
      resolver_(resolver),
      writers_(std::move(writers)),
      ledger_(ledger),
      dead_letters_(dead_letters),
      options_(std::move(options)) {}

void ScanPipeline::read_loop(core::BoundedQueue<Item>& queue, const std::stop_token& stop) {
  defender::StreamingMessageParser parser;
  while (auto input = source_->next(stop)) {
    Item item;
    item.input = std::move(*input);
    if (item.input.read_error) {
      item.error = item.input.read_error;
    } else {
      item.input.size = item.input.bytes.size();
      stats_.bytes += item.input.size;
      auto parsed = parser.parse(item.input.bytes);
      if (parsed) {
        item.parsed = std::move(parsed).value();
        for (const auto& alert : item.parsed.alerts) {
          for (const auto& file : alert.files) {
            if (!defender::primary_hash(file).empty()) item.hashes.push_back(defender::primary_hash(file));
          }
        }
        item.ticket = resolver_.submit(item.hashes);
      } else {
        item.error = parsed.error();
      }
    }
    // The alerts carry everything now; the raw bytes are only kept where a dead letter needs them.
    if (!item.error || !source_->dead_letter_keeps_payload()) std::string().swap(item.input.bytes);
    if (!queue.push(std::move(item))) break;
  }
  resolver_.flush();  // nothing more is coming: the last partial batches need not wait for company
  queue.close();
}

core::Status ScanPipeline::resolve(Item& item, std::vector<Item>& batch) {
  if (item.error) return {};
  core::RetrySchedule retry(kFirstRetryDelay, options_.max_retry_backoff, stop_);
  for (int tries = 1;; ++tries) {
    Resolution resolution = item.ticket->wait();
    if (!resolution.failure) {
      for (auto& alert : item.parsed.alerts) {
        ++stats_.alerts;
        if (alert.files.empty()) {
          ++stats_.alerts_without_files;
          continue;
        }
        stats_.files += alert.files.size();
        item.enrichments.push_back(defender::build_enrichment(std::move(alert), resolution.verdicts, options_.comment));
      }
      return {};
    }
    // Earlier inputs are complete: commit them now rather than hold them through the backoff or lose them.
    if (auto status = commit(batch); !status) return status;
    if (resolution.failure->refused_for_good()) return *resolution.failure;
    if (options_.lookup_tries && tries >= *options_.lookup_tries) {
      return core::make_error(fmt::format("giving up after {} tries (the input stays for the next run): {}", tries,
                                          resolution.failure->message));
    }
    core::log_warn("verdicts unavailable; asking again after a pause",
                   {{"input", item.input.name}, {"reason", resolution.failure->message}});
    if (!retry.wait()) return core::make_error(resolution.failure->message);
    item.ticket = resolver_.submit(item.hashes);
  }
}

core::Status ScanPipeline::write_batch(const std::vector<defender::Enrichment>& fresh) {
  for (auto& writer : writers_) {
    if (auto status = writer->write(fresh); !status) return status.error().with_context(writer->name());
  }
  // In order: the ledger (the store) is last, so it holds a marker only once every writer has it.
  for (auto& writer : writers_) {
    if (auto status = writer->flush(); !status) return status.error().with_context(writer->name());
  }
  for (auto& writer : writers_) writer->committed();
  return {};
}

core::Status ScanPipeline::commit(std::vector<Item>& batch) {
  if (batch.empty()) return {};
  core::RetrySchedule retry(kFirstRetryDelay, options_.max_retry_backoff, stop_);
  auto retry_after = [&](const core::Status& status, std::string_view what) {
    core::log_error(what, {{"reason", status.error().message}, {"inputs", batch.size()}});
    return retry.wait();
  };

  // Markers delivered before. Only the ledger's own commit adds to it, so one read serves every try below.
  std::set<std::string> taken;
  std::vector<std::string> markers;
  for (const auto& item : batch) {
    for (const auto& enrichment : item.enrichments) markers.push_back(enrichment.marker);
  }
  while (ledger_ != nullptr) {
    auto found = ledger_->delivered(markers);
    if (found) {
      taken = std::move(found).value();
      break;
    }
    if (!retry_after(found.error(), "cannot read which enrichments were delivered; retrying")) return found.error();
  }
  // Delivered before, or twice in this batch (the same message again): once is enough. Moved, not copied: the
  // items need only their inputs from here on.
  std::vector<defender::Enrichment> fresh;
  for (auto& item : batch) {
    for (auto& enrichment : item.enrichments) {
      if (taken.insert(enrichment.marker).second) fresh.push_back(std::move(enrichment));
    }
    item.enrichments.clear();
  }
  while (true) {
    const auto status = write_batch(fresh);
    if (status) break;
    for (auto& writer : writers_) writer->discard();
    if (status.error().refused_for_good()) return status;
    if (!retry_after(status, "enrichment writers could not commit a batch; retrying")) return status;
  }
  stats_.enrichments += fresh.size();
  stats_.replays += markers.size() - fresh.size();
  for (const auto& enrichment : fresh) {
    if (enrichment.worst == intel::Classification::kMalicious) ++stats_.malicious_alerts;
  }
  for (auto& item : batch) acknowledge(item);
  batch.clear();
  return {};
}

void ScanPipeline::acknowledge(Item& item) {
  const auto& name = item.input.name;
  auto ack = source_->acknowledge(item.input, item.error ? engine::Outcome::kFailed : engine::Outcome::kDone,
                                  item.error ? &*item.error : nullptr);
  if (ack && ack->requeued) return;  // new content arrived meanwhile; it is read again and judged then
  if (item.error) {
    ++stats_.inputs_failed;
    engine::record_quarantine(*source_, dead_letters_, item.input, *item.error, ack);
    return;
  }
  ++stats_.inputs_done;
  stats_.records += item.parsed.evidence_records + item.parsed.info_records;
  // Bad records are dead-lettered one by one with their own text, so the rest of the message still counts.
  for (const auto& rejected : item.parsed.rejected) {
    ++stats_.rejected_records;
    const std::string record_name = fmt::format("{}#{}", name, rejected.where);
    core::log_error("record quarantined", {{"input", record_name}, {"reason", rejected.reason}});
    if (dead_letters_ == nullptr) continue;
    const core::Error reason = core::make_error(rejected.reason);
    if (auto status = dead_letters_->record(source_->kind(), record_name, reason, "", rejected.record_json); !status) {
      core::log_error("cannot record dead letter", {{"input", record_name}, {"reason", status.error().message}});
    }
  }
  if (!ack) {
    core::log_error(
        "enrichments committed but the input could not be acknowledged; it stays where it is and is read again "
        "after a restart (its enrichments are recognised and not repeated)",
        {{"input", name}, {"reason", ack.error().message}});
  }
}

core::Status ScanPipeline::run(std::stop_token stop) {
  // A failure here stops the reader as well as a stop from outside does.
  std::stop_source local;
  const std::stop_callback forward(stop, [&] { local.request_stop(); });
  stop_ = local.get_token();
  core::BoundedQueue<Item> queue(options_.queue_inputs);
  std::thread reader([&] { read_loop(queue, stop_); });
  std::vector<Item> batch;
  core::Status result;
  while (true) {
    auto item = queue.pop_for(options_.flush_interval);
    if (item) {
      if (auto status = resolve(*item, batch); !status) {
        result = status;
        break;
      }
      batch.push_back(std::move(*item));
    }
    if (!item || batch.size() >= options_.batch_inputs) {
      if (auto status = commit(batch); !status) {
        result = status;
        break;
      }
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
