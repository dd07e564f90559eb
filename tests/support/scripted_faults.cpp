// The scripted-fault queue shared by the fake cloud servers.
#include "support/scripted_faults.hpp"

#include <utility>

namespace sb::test {

ScriptedFaults::~ScriptedFaults() {
  stop();
}

void ScriptedFaults::fail_next(int status, int count, std::string retry_after) {
  const std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) scripts_.push_back(Script{status, retry_after, {}});
}

void ScriptedFaults::delay_next(std::chrono::milliseconds delay) {
  const std::lock_guard lock(mutex_);
  scripts_.push_back(Script{0, {}, delay});
}

std::optional<ScriptedFaults::Script> ScriptedFaults::next() {
  const std::lock_guard lock(mutex_);
  if (scripts_.empty()) return std::nullopt;
  Script script = std::move(scripts_.front());
  scripts_.pop_front();
  return script;
}

void ScriptedFaults::wait(std::chrono::milliseconds duration) {
  if (duration <= std::chrono::milliseconds::zero()) return;
  std::unique_lock lock(mutex_);
  stopping_cv_.wait_for(lock, duration, [this] { return stopping_; });
}

void ScriptedFaults::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
}

}  // namespace sb::test
