// Scripted faults for the fake cloud servers: a thread-safe queue of "fail the next request" / "delay the next
// request" steps, consumed one request at a time, and a wait that a stopping fake can cut short.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace sb::test {

//! The scripted behaviour shared by the fakes (FakeEntra, FakeLogsIngestion, FakeGraph, FakeKeyVault).
//!
//!   // in the fake's handler, once per request:
//!   if (const auto script = faults_.next(); script && script->failure()) {
//!     answer script->status, with Retry-After: script->retry_after when not empty;
//!   } else {
//!     if (script) faults_.wait(script->delay);
//!     answer normally;
//!   }
//!   // in the fake's destructor, before stopping its server:
//!   faults_.stop();
//!
//! Steps are consumed in the order they were scripted, one per next() call. Thread-safe.
class ScriptedFaults {
 public:
  //! One scripted step.
  struct Script {
    int status = 0;           // 0: answer normally after `delay`; otherwise answer this status
    std::string retry_after;  // Retry-After value for a failure, "" for none
    std::chrono::milliseconds delay{0};

    bool failure() const { return status != 0; }
  };

  ScriptedFaults() = default;
  //! Calls stop(). Owners call stop() earlier, before stopping the server whose handlers may be waiting.
  ~ScriptedFaults();
  ScriptedFaults(const ScriptedFaults&) = delete;
  ScriptedFaults& operator=(const ScriptedFaults&) = delete;

  //! The next `count` steps answer `status`, with a Retry-After header when `retry_after` is not empty.
  void fail_next(int status, int count = 1, std::string retry_after = "");
  //! The next step answers normally after `delay`.
  void delay_next(std::chrono::milliseconds delay);
  //! Takes the oldest pending step; nullopt when none is pending (answer normally at once).
  std::optional<Script> next();

  //! Sleeps for `duration`, returning early once stop() has been called (at once if it already was).
  void wait(std::chrono::milliseconds duration);
  //! Wakes every wait() and makes later ones return at once. Idempotent.
  void stop();

 private:
  std::mutex mutex_;  // guards everything below
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::deque<Script> scripts_;
};

}  // namespace sb::test
