// The scan stages. Verdicts are waited for in input order on the writer thread; a lookup failure leaves the input
// for the engine to retry (or, refused for good, to stop on).
#include "pipeline/scan_pipeline.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "core/log.hpp"

namespace sb::pipeline {

void ScanStage::start(Work& work) {
  auto parsed = parser_.parse(work.input.bytes);
  if (!parsed) {
    work.error = parsed.error();
    return;
  }
  work.parsed = std::move(parsed).value();
  for (const auto& alert : work.parsed.alerts) {
    for (const auto& file : alert.files) {
      if (const auto& hash = defender::primary_hash(file); !hash.empty()) work.hashes.push_back(hash);
    }
  }
  work.ticket = resolver_.submit(work.hashes);
}

core::Status ScanStage::finish(Work& work) {
  Resolution resolution = work.ticket->wait();
  if (resolution.failure) return *resolution.failure;
  for (auto& alert : work.parsed.alerts) {
    ++stats_.alerts;
    if (alert.files.empty()) {
      ++stats_.alerts_without_files;
      continue;
    }
    stats_.files += alert.files.size();
    work.items.push_back(defender::build_enrichment(std::move(alert), resolution.verdicts, comment_));
  }
  return {};
}

void ScanStage::delivered(std::span<const std::span<const Item>> parts, size_t replays) {
  stats_.replays += replays;
  for (const auto& part : parts) {
    stats_.enrichments += part.size();
    for (const auto& enrichment : part) {
      if (enrichment.worst == intel::Classification::kMalicious) ++stats_.malicious_alerts;
    }
  }
}

void ScanStage::settled(Work& work, const engine::Settled& settled) {
  if (settled.outcome != engine::Outcome::kDone) return;
  stats_.records += work.parsed.evidence_records + work.parsed.info_records;
  for (const auto& rejected : work.parsed.rejected) {
    ++stats_.rejected_records;
    const std::string record_name = fmt::format("{}#{}", work.input.name, rejected.where);
    core::log_error("record quarantined", {{"input", record_name}, {"reason", rejected.reason}});
    if (settled.dead_letters == nullptr) continue;
    const core::Error reason = core::make_error(rejected.reason, core::ErrorKind::kBadInput);
    if (auto status = settled.dead_letters->record(settled.source.kind, record_name, reason, "", rejected.record_json);
        !status) {
      core::log_error("cannot record dead letter", {{"input", record_name}, {"reason", status.error().message}});
    }
  }
}

namespace {

engine::RunnerOptions runner_options(const ScanOptions& options) {
  engine::RunnerOptions runner;
  runner.pipeline = "scan";
  runner.items = "enrichments";
  runner.outputs = "enrichment writers";
  runner.unfinished = "verdicts unavailable; asking again after a pause";
  runner.queue_inputs = options.queue_inputs;
  runner.batch_items = SIZE_MAX;
  runner.batch_inputs = options.batch_inputs;
  runner.flush_interval = options.flush_interval;
  runner.max_retry_backoff = options.max_retry_backoff;
  runner.finish_tries = options.lookup_tries;
  return runner;
}

}  // namespace

ScanPipeline::ScanPipeline(std::unique_ptr<engine::Source> source, VerdictResolver& resolver,
                           std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>> outputs,
                           engine::DeadLetterRecorder* dead_letters, ScanOptions options)
    : source_(std::move(source)),
      outputs_(std::move(outputs)),
      stage_(resolver, stats_, options.comment),
      runner_(*source_, outputs_, dead_letters, stage_, stats_, runner_options(options)) {}

}  // namespace sb::pipeline
