// Token bucket rate limiting: tokens refill continuously; a reservation may drive the balance negative (a queue).
#include "core/token_bucket.hpp"

#include <algorithm>

#include "core/stop.hpp"

namespace sb::core {
namespace {

//! Fewer than one token of burst would never let a single request through.
constexpr double kMinBurst = 1.0;

}  // namespace

TokenBucket::TokenBucket(double rate_per_second, double burst)
    : rate_(rate_per_second), burst_(std::max(burst, kMinBurst)), tokens_(burst_) {}

TokenBucket::Clock::duration TokenBucket::reserve(Clock::time_point now, double cost) {
  if (rate_ <= 0) return Clock::duration::zero();
  const std::lock_guard lock(mutex_);
  if (!started_) {
    started_ = true;
    last_ = now;
  }
  // Callers on other threads may pass a `now` read just before ours; time never runs backwards for the bucket.
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
  tokens_ -= cost;
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::ceil<Clock::duration>(std::chrono::duration<double>(-tokens_ / rate_));
}

bool TokenBucket::acquire(const std::stop_token& stop, double cost) {
  const auto wait = reserve(Clock::now(), cost);
  if (wait <= Clock::duration::zero()) return true;
  if (!sleep_unless_stopped(stop, std::chrono::ceil<std::chrono::milliseconds>(wait))) return true;
  // The caller will not use the token: give it back so the callers queued behind are not delayed for nothing.
  const std::lock_guard lock(mutex_);
  tokens_ = std::min(burst_, tokens_ + cost);
  return false;
}

}  // namespace sb::core
