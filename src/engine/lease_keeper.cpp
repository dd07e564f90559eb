// One thread for all leases: it sleeps until the earliest renewal is due. renew() runs without the lock, so a slow
// renewal never blocks hold() on the reader or release() on the writer.
#include "engine/lease_keeper.hpp"

#include <algorithm>
#include <vector>

#include "core/log.hpp"

namespace sb::engine {

LeaseKeeper::LeaseKeeper(Source& source, std::chrono::milliseconds lease)
    : source_(source), interval_(lease / 2), thread_([this](const std::stop_token& stop) { loop(stop); }) {}

LeaseKeeper::~LeaseKeeper() {
  thread_.request_stop();
  changed_.notify_all();
}

void LeaseKeeper::hold(uint64_t token, std::string name) {
  const std::lock_guard lock(mutex_);
  held_[token] = Held{std::move(name), Clock::now() + interval_};
  ++changes_;
  changed_.notify_all();
}

void LeaseKeeper::release(uint64_t token) {
  const std::lock_guard lock(mutex_);
  held_.erase(token);
}

uint64_t LeaseKeeper::renewals() const {
  const std::lock_guard lock(mutex_);
  return renewals_;
}

uint64_t LeaseKeeper::failed_renewals() const {
  const std::lock_guard lock(mutex_);
  return failed_renewals_;
}

void LeaseKeeper::loop(const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    auto wake = Clock::time_point::max();
    std::vector<std::pair<uint64_t, std::string>> due;
    const auto now = Clock::now();
    for (auto& [token, held] : held_) {
      if (held.due <= now) {
        due.emplace_back(token, held.name);
        held.due = now + interval_;
      }
      wake = std::min(wake, held.due);
    }
    if (due.empty()) {
      const auto changed = [&, seen = changes_] { return changes_ != seen; };
      if (wake == Clock::time_point::max()) {
        changed_.wait(lock, stop, changed);
      } else {
        changed_.wait_until(lock, stop, wake, changed);
      }
      continue;
    }
    lock.unlock();
    for (const auto& [token, name] : due) {
      const auto status = source_.renew(token);
      lock.lock();
      ++renewals_;
      if (!status) ++failed_renewals_;
      lock.unlock();
      if (!status) {
        core::log_warn("cannot extend the lease of an input in flight; it may be delivered again",
                       {{"input", name}, {"reason", status.error().message}});
      }
    }
    lock.lock();
  }
}

}  // namespace sb::engine
