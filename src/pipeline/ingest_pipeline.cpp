// The ingest stage: one parse per input on the reader thread; the rows carry everything from there on.
#include "pipeline/ingest_pipeline.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"

namespace sb::pipeline {

void IngestStage::start(Work& work) {
  auto parsed = parser_.parse(work.input.bytes, core::now_iso8601_utc());
  if (!parsed) {
    work.error = parsed.error();
    return;
  }
  work.reports = parsed->reports;
  work.pending_reports = parsed->pending_reports;
  work.pending = parsed->pending();
  work.items = std::move(parsed->rows);
}

void IngestStage::settled(Work& work, const engine::Settled& settled) {
  if (settled.outcome == engine::Outcome::kPending) {
    core::log_info("report still processing (processed is null); left for later",
                   {{"input", work.input.name}, {"pending_reports", work.pending_reports}});
    return;
  }
  if (settled.outcome != engine::Outcome::kDone) return;
  stats_.reports += work.reports;
  stats_.rows += work.items.size();
  core::log_debug("input ingested", {{"input", work.input.name}, {"rows", work.items.size()}});
}

std::string IngestStage::unkept_pending_reason() const {
  return "report still processing (processed is null) and the stream cannot keep it; replay it once complete";
}

namespace {

engine::RunnerOptions runner_options(const IngestOptions& options) {
  engine::RunnerOptions runner;
  runner.pipeline = "ingest";
  runner.items = "rows";
  runner.outputs = "sinks";
  runner.queue_inputs = options.queue_inputs;
  runner.batch_items = options.batch_rows;
  runner.batch_inputs = options.batch_inputs;
  runner.batch_bytes = options.batch_bytes;
  runner.flush_interval = options.flush_interval;
  runner.max_retry_backoff = options.max_retry_backoff;
  return runner;
}

}  // namespace

IngestPipeline::IngestPipeline(std::unique_ptr<engine::Source> source,
                               std::vector<std::unique_ptr<engine::Output<detect::Row>>> outputs,
                               engine::DeadLetterRecorder* dead_letters, IngestOptions options)
    : source_(std::move(source)),
      outputs_(std::move(outputs)),
      stage_(stats_),
      runner_(*source_, outputs_, dead_letters, stage_, stats_, runner_options(options)) {}

}  // namespace sb::pipeline
