// An in-memory IntelProvider for tests: a verdict table, a log of every call, optional latency, a gate that
// holds lookups in flight, and scripted failures. Thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/intel_provider.hpp"

namespace sb::test {

//! One lookup() as the provider saw it.
struct ProviderCall {
  core::HashType type;
  std::vector<std::string> hashes;
};

//! The ways a provider can fail, as a real one does: 401, 403, 429, 503, an unreadable reply.
enum class FakeFailure { kCredentials, kPermission, kQuota, kTransient, kBadResponse };

//! The failure kind a real provider reports for `failure`: 401 and 403 are refused for good, the rest retry later.
core::ErrorKind error_kind_of(FakeFailure failure);

//! "Credentials", "Quota", …: readable names for tests parameterized by failure.
std::string failure_kind_label(const ::testing::TestParamInfo<FakeFailure>& info);

//! A verdict of `classification` for `hash`, as a provider would return it.
intel::Verdict make_verdict(const std::string& hash, intel::Classification classification,
                            std::string threat_name = {});

class FakeProvider final : public intel::IntelProvider {
 public:
  explicit FakeProvider(std::string name = "fake", size_t max_batch = 100, bool remembered = true);

  std::string_view name() const override { return name_; }
  size_t max_batch() const override { return max_batch_; }
  intel::LookupResult lookup(core::HashType type, const std::vector<std::string>& hashes) override;
  intel::ProviderCounters counters() const override;
  bool remembered() const override { return remembered_; }

  // The verdict table. A hash not in it is unknown to this provider (missing from the result map).
  void set_verdict(intel::Verdict verdict);  // keyed by verdict.hash
  void set_verdict(const std::string& hash, intel::Classification classification, std::string threat_name = {});
  void forget(const std::string& hash);

  //! Every lookup sleeps this long (after it is logged) before it answers.
  void set_latency(std::chrono::milliseconds latency);

  //! While paused, lookups are logged and then block until resume().
  void pause();
  void resume();

  //! The next `times` lookups fail with `kind` (after the latency).
  void fail_next(FakeFailure kind, int times = 1);
  //! Every lookup fails with `kind` until clear_failures().
  void fail_always(FakeFailure kind);
  //! Every lookup that carries `hash` fails with `kind` until clear_failures().
  void fail_when_asked(const std::string& hash, FakeFailure kind);
  void clear_failures();

  std::vector<ProviderCall> calls() const;
  size_t call_count() const;
  //! How many lookups carried `hash`.
  size_t times_asked(const std::string& hash) const;
  //! Most lookups that were running at the same time.
  size_t max_concurrent() const;
  //! Waits until at least `n` lookups have started; false on time-out.
  bool wait_for_calls(size_t n, std::chrono::milliseconds timeout) const;

 private:
  std::string name_;
  size_t max_batch_;
  bool remembered_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::string, intel::Verdict> table_;
  std::chrono::milliseconds latency_{0};
  bool paused_ = false;
  std::deque<FakeFailure> scripted_;
  std::optional<FakeFailure> always_;
  std::map<std::string, FakeFailure> poisoned_;
  std::vector<ProviderCall> calls_;
  size_t running_ = 0;
  size_t max_running_ = 0;
  uint64_t hashes_ = 0;
  uint64_t failures_ = 0;
};

}  // namespace sb::test
