// Result<T>: a value or an Error, returned by everything that can fail on input or environment (no exceptions).
#pragma once

#include <cassert>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sb::core {

//! What a caller can do about a failure. Every client maps its answers onto these kinds (HTTP statuses through
//! http/status), so retrying, setting an item aside and stopping are decided the same way everywhere.
enum class ErrorKind {
  kRetryLater,      // may succeed unchanged later: no answer, 5xx, throttling, a busy store
  kRefusedItem,     // this item is refused as it is (a 400, 404 or 413 for it): set it aside, go on with the rest
  kRefusedForGood,  // nothing passes until someone fixes the set-up (credentials, permissions): stop
  kBadInput,        // the input itself is malformed: quarantine it
};

//! What went wrong, in words a user can act on. `offset` is the byte offset in the input when known.
struct Error {
  std::string message;
  std::optional<size_t> offset;
  ErrorKind kind = ErrorKind::kRetryLater;

  //! Malformed input, `offset` bytes in.
  static Error at(std::string message, size_t offset) {
    return Error{std::move(message), offset, ErrorKind::kBadInput};
  }
  //! Trying again cannot help until someone changes something, so a retry loop gives up at once.
  bool refused_for_good() const { return kind == ErrorKind::kRefusedForGood; }
  //! The same error, its message preceded by "context: " (offset and kind kept).
  Error with_context(std::string_view context) const {
    Error copy = *this;
    copy.message = std::string(context) + ": " + message;
    return copy;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor): return values convert
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Error make_error(std::string message, ErrorKind kind = ErrorKind::kRetryLater) {
  return Error{std::move(message), std::nullopt, kind};
}

}  // namespace sb::core
