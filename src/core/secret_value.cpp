// The re-read runs inline in get(), under the state's lock: callers at that moment wait one Key Vault round trip
// instead of a background thread owning the value.
#include "core/secret_value.hpp"

#include <mutex>

#include "core/log.hpp"

namespace sb::core {
namespace {

constexpr std::chrono::seconds kRetryAfterFailure{60};

}  // namespace

struct SecretValue::State {
  std::mutex mutex;
  std::string value;
  Reader reader;
  std::chrono::seconds interval{0};
  std::string name;
  std::chrono::steady_clock::time_point next_read;
};

SecretValue::SecretValue(std::string value) : state_(std::make_shared<State>()) {
  state_->value = std::move(value);
}

SecretValue::SecretValue(const char* value) : SecretValue(std::string(value)) {}

SecretValue SecretValue::refreshing(std::string initial, Reader reader, std::chrono::seconds interval,
                                    std::string name) {
  SecretValue secret(std::move(initial));
  secret.state_->reader = std::move(reader);
  secret.state_->interval = interval;
  secret.state_->name = std::move(name);
  secret.state_->next_read = std::chrono::steady_clock::now() + interval;
  return secret;
}

std::string SecretValue::get() const {
  if (!state_) return {};
  const std::lock_guard lock(state_->mutex);
  auto& state = *state_;
  if (state.reader && state.interval.count() > 0 && std::chrono::steady_clock::now() >= state.next_read) {
    auto fresh = state.reader();
    if (fresh && !fresh->empty()) {
      if (*fresh != state.value) log_info("secret re-read from its store has a new value", {{"secret", state.name}});
      state.value = std::move(fresh).value();
      state.next_read = std::chrono::steady_clock::now() + state.interval;
    } else {
      log_warn("cannot re-read a secret; the value read before stays in use",
               {{"secret", state.name}, {"reason", fresh ? "the secret is empty" : fresh.error().message}});
      state.next_read = std::chrono::steady_clock::now() + kRetryAfterFailure;
    }
  }
  return state.value;
}

}  // namespace sb::core
