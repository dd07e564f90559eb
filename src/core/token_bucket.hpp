// A token bucket: at most `rate` requests per second on average, bursts up to `burst`. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>

namespace sb::core {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  //! rate <= 0 means unlimited.
  TokenBucket(double rate_per_second, double burst);

  //! Takes one token at `now`, returning how long the caller must wait before using it (zero when one was
  //! available). The token is reserved either way, so concurrent callers queue fairly.
  Clock::duration reserve(Clock::time_point now);

  //! reserve() and sleep; returns false (without using the token) when a stop was requested meanwhile.
  bool acquire();

 private:
  std::mutex mutex_;
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
  bool started_ = false;
};

}  // namespace sb::core
