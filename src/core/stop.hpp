// Stopping: components take a std::stop_token (never a process-wide flag), and SIGINT/SIGTERM become a stop request.
#pragma once

#include <chrono>
#include <csignal>
#include <stop_token>
#include <thread>

namespace sb::core {

//! Sleeps up to `duration`; returns true at once when a stop is requested on `stop`.
bool sleep_unless_stopped(const std::stop_token& stop, std::chrono::milliseconds duration);

//! While it lives, SIGINT and SIGTERM request a stop on its source (the previous handlers come back with its end). The
//! handler only writes a byte to a pipe (async-signal-safe); a watcher thread turns that into the request. One per
//! command, one at a time (a second one made while the first lives hears no signals); whoever owns it may also request
//! the stop itself (a failing pipeline stops the others of its process).
class SignalStop {
 public:
  SignalStop();
  ~SignalStop();
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

  std::stop_source& source() { return source_; }
  std::stop_token token() const { return source_.get_token(); }

 private:
  std::stop_source source_;
  std::thread watcher_;
  bool installed_ = false;
  struct sigaction previous_interrupt_ {};
  struct sigaction previous_terminate_ {};
};

}  // namespace sb::core
