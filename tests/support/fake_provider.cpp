// The in-memory IntelProvider used by the resolver and scan pipeline tests.
#include "support/fake_provider.hpp"

#include <algorithm>
#include <thread>

namespace sb::test {

core::ErrorKind error_kind_of(FakeFailure failure) {
  const bool refused = failure == FakeFailure::kCredentials || failure == FakeFailure::kPermission;
  return refused ? core::ErrorKind::kRefusedForGood : core::ErrorKind::kRetryLater;
}

std::string failure_kind_label(const ::testing::TestParamInfo<FakeFailure>& info) {
  using Kind = FakeFailure;
  switch (info.param) {
    case Kind::kCredentials: return "Credentials";
    case Kind::kPermission: return "Permission";
    case Kind::kQuota: return "Quota";
    case Kind::kTransient: return "Transient";
    case Kind::kBadResponse: return "BadResponse";
  }
  return "Other";
}
namespace {

std::string_view kind_name(FakeFailure kind) {
  switch (kind) {
    case FakeFailure::kCredentials: return "401 credentials";
    case FakeFailure::kPermission: return "403 permission";
    case FakeFailure::kQuota: return "429 quota";
    case FakeFailure::kTransient: return "503 transient";
    case FakeFailure::kBadResponse: return "bad response";
  }
  return "failure";
}

}  // namespace

intel::Verdict make_verdict(const std::string& hash, intel::Classification classification, std::string threat_name) {
  intel::Verdict verdict;
  verdict.hash = hash;
  verdict.classification = classification;
  verdict.threat_name = std::move(threat_name);
  if (hash.size() == core::hex_length(core::HashType::kSha1)) verdict.sha1 = hash;
  if (hash.size() == core::hex_length(core::HashType::kSha256)) verdict.sha256 = hash;
  if (hash.size() == core::hex_length(core::HashType::kMd5)) verdict.md5 = hash;
  return verdict;
}

FakeProvider::FakeProvider(std::string name, size_t max_batch, bool remembered)
    : name_(std::move(name)), max_batch_(max_batch), remembered_(remembered) {}

intel::LookupResult FakeProvider::lookup(core::HashType type, const std::vector<std::string>& hashes) {
  std::chrono::milliseconds latency{0};
  {
    std::unique_lock lock(mutex_);
    calls_.push_back({type, hashes});
    hashes_ += hashes.size();
    ++running_;
    max_running_ = std::max(max_running_, running_);
    latency = latency_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !paused_; });
  }
  if (latency.count() > 0) std::this_thread::sleep_for(latency);

  intel::LookupResult result;
  const std::lock_guard lock(mutex_);
  --running_;
  std::optional<FakeFailure> failure = always_;
  for (const auto& hash : hashes) {
    if (auto poisoned = poisoned_.find(hash); !failure && poisoned != poisoned_.end()) failure = poisoned->second;
  }
  if (!failure && !scripted_.empty()) {
    failure = scripted_.front();
    scripted_.pop_front();
  }
  if (failure) {
    ++failures_;
    result.failure =
        core::make_error(name_ + ": " + std::string(kind_name(*failure)) + " from the fake", error_kind_of(*failure));
    return result;
  }
  for (const auto& hash : hashes) {
    if (auto found = table_.find(hash); found != table_.end()) {
      intel::Verdict verdict = found->second;
      verdict.provider = name_;
      result.verdicts.emplace(hash, std::move(verdict));
    }
  }
  return result;
}

intel::ProviderCounters FakeProvider::counters() const {
  const std::lock_guard lock(mutex_);
  return {calls_.size(), hashes_, 0, failures_};
}

void FakeProvider::set_verdict(intel::Verdict verdict) {
  const std::lock_guard lock(mutex_);
  const std::string key = verdict.hash;
  table_.insert_or_assign(key, std::move(verdict));
}

void FakeProvider::set_verdict(const std::string& hash, intel::Classification classification, std::string threat_name) {
  set_verdict(make_verdict(hash, classification, std::move(threat_name)));
}

void FakeProvider::forget(const std::string& hash) {
  const std::lock_guard lock(mutex_);
  table_.erase(hash);
}

void FakeProvider::set_latency(std::chrono::milliseconds latency) {
  const std::lock_guard lock(mutex_);
  latency_ = latency;
}

void FakeProvider::pause() {
  const std::lock_guard lock(mutex_);
  paused_ = true;
}

void FakeProvider::resume() {
  {
    const std::lock_guard lock(mutex_);
    paused_ = false;
  }
  changed_.notify_all();
}

void FakeProvider::fail_next(FakeFailure kind, int times) {
  const std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) scripted_.push_back(kind);
}

void FakeProvider::fail_always(FakeFailure kind) {
  const std::lock_guard lock(mutex_);
  always_ = kind;
}

void FakeProvider::fail_when_asked(const std::string& hash, FakeFailure kind) {
  const std::lock_guard lock(mutex_);
  poisoned_.insert_or_assign(hash, kind);
}

void FakeProvider::clear_failures() {
  const std::lock_guard lock(mutex_);
  always_.reset();
  poisoned_.clear();
  scripted_.clear();
}

std::vector<ProviderCall> FakeProvider::calls() const {
  const std::lock_guard lock(mutex_);
  return calls_;
}

size_t FakeProvider::call_count() const {
  const std::lock_guard lock(mutex_);
  return calls_.size();
}

size_t FakeProvider::times_asked(const std::string& hash) const {
  const std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& call : calls_) n += static_cast<size_t>(std::count(call.hashes.begin(), call.hashes.end(), hash));
  return n;
}

size_t FakeProvider::max_concurrent() const {
  const std::lock_guard lock(mutex_);
  return max_running_;
}

bool FakeProvider::wait_for_calls(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return calls_.size() >= n; });
}

}  // namespace sb::test
