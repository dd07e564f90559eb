// Keeps the leases of inputs in flight alive (a queue message's visibility timeout) until they are acknowledged.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "engine/source.hpp"

namespace sb::engine {

class LeaseKeeper {
 public:
  //! Renews every held input at half of `lease` after it was taken or last renewed.
  LeaseKeeper(Source& source, std::chrono::milliseconds lease);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  //! From the moment the reader took the input until release().
  void hold(uint64_t token, std::string name);
  void release(uint64_t token);

  //! Renewals made since start, and those the source refused.
  uint64_t renewals() const;
  uint64_t failed_renewals() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Held {
    std::string name;
    Clock::time_point due;
  };
  void loop(const std::stop_token& stop);

  Source& source_;
  const Clock::duration interval_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::map<uint64_t, Held> held_;
  uint64_t changes_ = 0;  // moves on every hold(), to wake the thread for a sooner renewal
  uint64_t renewals_ = 0;
  uint64_t failed_renewals_ = 0;
  std::jthread thread_;  // last: started once everything above exists
};

}  // namespace sb::engine
