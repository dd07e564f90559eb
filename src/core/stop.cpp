// The signal handler writes to a self-pipe; the watcher thread reads it. A byte written by the destructor (with
// `g_closing` set) ends the watcher instead.
#include "core/stop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <mutex>

namespace sb::core {
namespace {

int g_pipe[2] = {-1, -1};
std::atomic<bool> g_closing{false};
std::atomic<bool> g_live{false};  // a SignalStop exists

extern "C" void on_stop_signal(int) {
  const char byte = 's';
  const int saved = errno;
  (void)!::write(g_pipe[1], &byte, 1);
  errno = saved;
}

//! Creates the pipe once per process.
bool pipe_ready() {
  static const bool created = ::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) == 0;
  return created;
}

void drain_pipe() {
  char buffer[64];
  while (::read(g_pipe[0], buffer, sizeof buffer) > 0) {
  }
}

}  // namespace

bool sleep_unless_stopped(const std::stop_token& stop, std::chrono::milliseconds duration) {
  if (!stop.stop_possible()) {
    std::this_thread::sleep_for(duration);
    return false;
  }
  std::mutex mutex;
  std::condition_variable_any woken;
  std::unique_lock lock(mutex);
  woken.wait_for(lock, stop, duration, [] { return false; });
  return stop.stop_requested();
}

SignalStop::SignalStop() {
  // One at a time: the pipe and the handlers are the process's. A second one made meanwhile hears nothing.
  if (g_live.exchange(true)) return;
  if (!pipe_ready()) {
    g_live = false;
    return;
  }
  installed_ = true;
  g_closing = false;
  drain_pipe();
  watcher_ = std::thread([this] {
    pollfd pfd{g_pipe[0], POLLIN, 0};
    while (true) {
      if (::poll(&pfd, 1, -1) < 0 && errno != EINTR) return;
      drain_pipe();
      if (g_closing) return;
      source_.request_stop();
    }
  });
  // Installed once the watcher runs, so a signal is never written to a pipe nobody reads.
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_interrupt_);
  sigaction(SIGTERM, &action, &previous_terminate_);
}

SignalStop::~SignalStop() {
  if (!installed_) return;
  // Signals after this point behave as before it (by default: end the process) instead of going unheard.
  sigaction(SIGINT, &previous_interrupt_, nullptr);
  sigaction(SIGTERM, &previous_terminate_, nullptr);
  g_closing = true;
  const char byte = 'c';
  (void)!::write(g_pipe[1], &byte, 1);
  watcher_.join();
  g_live = false;
}

}  // namespace sb::core
