// A progress line for long runs: redrawn in place on a terminal, a periodic log line otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "engine/source.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "pipeline/scan_pipeline.hpp"

namespace sb::app {

class ProgressReporter {
 public:
  //! Writes one report after `seconds` of the run: on a terminal the line to redraw (no newline), else a log line.
  using Print = std::function<void(bool terminal, double seconds)>;

  explicit ProgressReporter(Print print);
  ~ProgressReporter();  // stops the thread and ends the line
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  void loop();
  void print(bool final_line);

  Print print_;
  const std::chrono::steady_clock::time_point start_;
  const bool terminal_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

//! The ingest pipeline's report: files, rows, quarantined, pending, MiB read.
ProgressReporter::Print ingest_progress(const pipeline::IngestStats& stats);
//! The scan pipeline's report: messages, records, alerts, enrichments, and where the source stands (lag per
//! partition).
ProgressReporter::Print scan_progress(const pipeline::ScanStats& stats, const engine::Source& source);

}  // namespace sb::app
