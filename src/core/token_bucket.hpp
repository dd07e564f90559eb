// A token bucket: at most `rate` tokens (requests, bytes) per second on average, bursts up to `burst`. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <stop_token>

namespace sb::core {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  //! rate <= 0 means unlimited.
  TokenBucket(double rate_per_second, double burst);

  //! Takes `cost` tokens at `now` (one per request, or one per byte for a data budget), returning how long the
  //! caller must wait before using them (zero when they were available). They are reserved either way, so
  //! concurrent callers queue fairly.
  Clock::duration reserve(Clock::time_point now, double cost = 1.0);

  //! reserve() and sleep; returns false (without using the tokens) when a stop was requested on `stop` meanwhile.
  bool acquire(const std::stop_token& stop, double cost = 1.0);

 private:
  std::mutex mutex_;
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
  bool started_ = false;
};

}  // namespace sb::core
