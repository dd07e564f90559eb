// Signal handlers that only touch a lock-free atomic (async-signal-safe).
#include "core/stop_signal.hpp"

#include <csignal>

#include <atomic>
#include <thread>

namespace sb::core {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
}

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() {
  return g_stop.load();
}
void request_stop() {
  g_stop.store(true);
}
void reset_stop() {
  g_stop.store(false);
}

bool sleep_unless_stopped(std::chrono::milliseconds duration) {
  constexpr auto kTick = std::chrono::milliseconds(20);
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (!stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kTick, deadline - now));
  }
  return true;
}

}  // namespace sb::core
