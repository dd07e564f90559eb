// A progress line for long runs: redrawn in place on a terminal, a periodic log line otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "pipeline/ingest_pipeline.hpp"

namespace sb::app {

class ProgressReporter {
 public:
  explicit ProgressReporter(const pipeline::IngestStats& stats);
  ~ProgressReporter();  // stops the thread and ends the line
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  void loop();
  void print(bool final_line);

  const pipeline::IngestStats& stats_;
  const std::chrono::steady_clock::time_point start_;
  const bool terminal_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace sb::app
