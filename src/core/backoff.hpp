// Retry timing shared by every retry loop: full-jitter exponential backoff and Retry-After parsing.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string_view>

namespace sb::core {

//! Full jitter (AWS architecture blog): a uniform random wait in [0, min(cap, base · 2^attempt)].
//! `attempt` counts from 0; `random_unit` is a draw in [0, 1).
std::chrono::milliseconds full_jitter_delay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                            double random_unit);

//! A Retry-After header value: delta-seconds ("120") or an HTTP date ("Fri, 31 Dec 1999 23:59:59 GMT"),
//! as a wait from `now` (never negative). nullopt when the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

//! Full-jitter waits between the tries of one operation, growing from `first` to `cap`; one per retry loop.
class RetrySchedule {
 public:
  //! A stop requested on `stop` ends a wait early.
  RetrySchedule(std::chrono::milliseconds first, std::chrono::milliseconds cap, std::stop_token stop = {});
  //! Sleeps before the next try; false when a stop was requested meanwhile.
  bool wait();

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds cap_;
  std::stop_token stop_;
  uint64_t random_state_;
  int attempt_ = 0;
};

}  // namespace sb::core
