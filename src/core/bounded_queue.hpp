// A bounded multi-producer multi-consumer queue, bounded in items and in bytes: the backpressure between stages.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <utility>

namespace sb::core {

template <typename T>
class BoundedQueue {
 public:
  //! At most `capacity` items, holding at most `capacity_bytes` between them (as their producers weigh them). An
  //! item heavier than the whole budget still passes when the queue is empty, so nothing is stuck for ever.
  explicit BoundedQueue(size_t capacity, size_t capacity_bytes = std::numeric_limits<size_t>::max())
      : capacity_(capacity == 0 ? 1 : capacity), capacity_bytes_(capacity_bytes) {}

  //! Blocks while full. Returns false (dropping nothing: the item is not taken) once the queue is closed.
  bool push(T item, size_t bytes = 0) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] {
      return closed_ || items_.empty() || (items_.size() < capacity_ && bytes_ + bytes <= capacity_bytes_);
    });
    if (closed_) return false;
    bytes_ += bytes;
    items_.emplace_back(std::move(item), bytes);
    not_empty_.notify_one();
    return true;
  }

  //! Waits up to `timeout` for an item; nullopt on time-out, or when the queue is closed and drained.
  template <typename Rep, typename Period>
  std::optional<T> pop_for(std::chrono::duration<Rep, Period> timeout) {
    std::unique_lock lock(mutex_);
    not_empty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    auto [item, bytes] = std::move(items_.front());
    items_.pop_front();
    bytes_ -= bytes;
    not_full_.notify_all();
    return std::move(item);
  }

  //! No more pushes; consumers drain what is left.
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  bool closed_and_empty() const {
    const std::lock_guard lock(mutex_);
    return closed_ && items_.empty();
  }

  //! Items waiting now (for metrics and tests).
  size_t size() const {
    const std::lock_guard lock(mutex_);
    return items_.size();
  }

 private:
  const size_t capacity_;
  const size_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<std::pair<T, size_t>> items_;
  size_t bytes_ = 0;
  bool closed_ = false;
};

}  // namespace sb::core
