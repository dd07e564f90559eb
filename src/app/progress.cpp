// Progress reporter thread.
#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "core/log.hpp"

namespace sb::app {

namespace {
constexpr auto kTerminalInterval = std::chrono::milliseconds(250);
constexpr auto kLogInterval = std::chrono::seconds(10);
}  // namespace

ProgressReporter::ProgressReporter(Print print)
    : print_(std::move(print)), start_(std::chrono::steady_clock::now()), terminal_(::isatty(STDERR_FILENO) == 1) {
  thread_ = std::thread([this] { loop(); });
}

ProgressReporter::~ProgressReporter() {
  done_ = true;
  thread_.join();
  print(true);
}

void ProgressReporter::loop() {
  const auto interval = terminal_ ? std::chrono::duration_cast<std::chrono::milliseconds>(kTerminalInterval)
                                  : std::chrono::duration_cast<std::chrono::milliseconds>(kLogInterval);
  auto next = std::chrono::steady_clock::now() + interval;
  while (!done_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (std::chrono::steady_clock::now() < next) continue;
    next += interval;
    print(false);
  }
}

void ProgressReporter::print(bool final_line) {
  // Off a terminal the closing summary says it all; on one the last line stays, ended.
  if (final_line && !terminal_) return;
  print_(terminal_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  if (!terminal_) return;
  if (final_line) std::fputs("\n", stderr);
  std::fflush(stderr);
}

ProgressReporter::Print ingest_progress(const pipeline::IngestStats& stats) {
  return [&stats](bool terminal, double seconds) {
    const double mib = static_cast<double>(stats.bytes.load()) / (1024.0 * 1024.0);
    if (!terminal) {
      core::log_info("ingest progress", {{"files", stats.inputs_done.load()},
                                         {"rows", stats.rows.load()},
                                         {"quarantined", stats.inputs_failed.load()},
                                         {"pending", stats.inputs_pending.load()},
                                         {"mib_read", mib}});
      return;
    }
    const auto line =
        fmt::format("\ringest: {} files, {} rows, {} quarantined, {} pending | {:.1f} MiB in {:.1f} s ({:.1f} MiB/s)",
                    stats.inputs_done.load(), stats.rows.load(), stats.inputs_failed.load(),
                    stats.inputs_pending.load(), mib, seconds, seconds > 0 ? mib / seconds : 0.0);
    std::fputs(line.c_str(), stderr);
  };
}

ProgressReporter::Print scan_progress(const pipeline::ScanStats& stats, const engine::Source& source) {
  return [&stats, &source](bool terminal, double seconds) {
    const auto position = source.position();
    if (!terminal) {
      core::log_info("scan progress", {{"messages", stats.inputs_done.load()},
                                       {"records", stats.records.load()},
                                       {"alerts", stats.alerts.load()},
                                       {"enrichments", stats.enrichments.load()},
                                       {"quarantined", stats.inputs_failed.load()},
                                       {"position", position}});
      return;
    }
    const auto line =
        fmt::format("\rscan: {} messages, {} records, {} alerts, {} enrichments, {} quarantined{}{} | {:.1f} s",
                    stats.inputs_done.load(), stats.records.load(), stats.alerts.load(), stats.enrichments.load(),
                    stats.inputs_failed.load(), position.empty() ? "" : " | ", position, seconds);
    std::fputs(line.c_str(), stderr);
  };
}

}  // namespace sb::app
