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

ProgressReporter::ProgressReporter(const pipeline::IngestStats& stats)
    : stats_(stats), start_(std::chrono::steady_clock::now()), terminal_(::isatty(STDERR_FILENO) == 1) {
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
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double mib = static_cast<double>(stats_.bytes.load()) / (1024.0 * 1024.0);
  if (!terminal_) {
    if (!final_line) {
      core::log_info("ingest progress", {{"files", stats_.inputs_done.load()},
                                         {"rows", stats_.rows.load()},
                                         {"quarantined", stats_.inputs_failed.load()},
                                         {"pending", stats_.inputs_pending.load()},
                                         {"mib_read", mib}});
    }
    return;
  }
  const auto line =
      fmt::format("\ringest: {} files, {} rows, {} quarantined, {} pending | {:.1f} MiB in {:.1f} s ({:.1f} MiB/s)",
                  stats_.inputs_done.load(), stats_.rows.load(), stats_.inputs_failed.load(),
                  stats_.inputs_pending.load(), mib, seconds, seconds > 0 ? mib / seconds : 0.0);
  std::fputs(line.c_str(), stderr);
  if (final_line) std::fputs("\n", stderr);
  std::fflush(stderr);
}

}  // namespace sb::app
