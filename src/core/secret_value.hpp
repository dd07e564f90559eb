// A secret's value as the clients that send it see it: fixed, or re-read from its store (Key Vault) at an
// interval, so a rotated secret is picked up without a restart.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace sb::core {

class SecretValue {
 public:
  using Reader = std::function<Result<std::string>()>;

  SecretValue() = default;
  SecretValue(std::string value);  // NOLINT(google-explicit-constructor): a fixed value converts
  SecretValue(const char* value);  // NOLINT(google-explicit-constructor)

  //! Starts at `initial` and calls `reader` again once `interval` has passed since the last read. A failed read
  //! keeps the value it has and is logged (naming `name`, never the value); it is tried again after a minute.
  static SecretValue refreshing(std::string initial, Reader reader, std::chrono::seconds interval, std::string name);

  //! The current value. Thread-safe; a due re-read happens in this call.
  std::string get() const;
  bool empty() const { return get().empty(); }

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace sb::core
