// Verdict resolution: history → provider stages with per-type batch queues, worker threads per provider,
// one in-flight entry per hash that every waiting ticket hangs on.
#include "pipeline/verdict_resolver.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace sb::pipeline {

Resolution ResolveTicket::wait() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return outstanding_ == 0; });
  return resolution_;
}

bool ResolveTicket::ready() const {
  const std::lock_guard lock(mutex_);
  return outstanding_ == 0;
}

void ResolveTicket::settle(const std::string& hash, const intel::Verdict* verdict, const core::Error* failure) {
  const std::lock_guard lock(mutex_);
  if (verdict != nullptr) {
    intel::Verdict copy = *verdict;
    copy.hash = hash;
    resolution_.verdicts.insert_or_assign(hash, std::move(copy));
  }
  if (failure != nullptr && !resolution_.failure) resolution_.failure = *failure;
  if (outstanding_ > 0 && --outstanding_ == 0) done_.notify_all();
}

VerdictResolver::VerdictResolver(std::vector<std::shared_ptr<intel::IntelProvider>> providers,
                                 intel::LookupHistory* history, ResolverOptions options)
    : providers_(std::move(providers)), history_(history), options_(options), stages_(providers_.size()) {
  const size_t workers = std::max<size_t>(1, options_.workers_per_provider);
  for (size_t i = 0; i < stages_.size(); ++i) {
    for (size_t w = 0; w < workers; ++w) stages_[i].workers.emplace_back([this, i] { work(i); });
  }
}

VerdictResolver::~VerdictResolver() {
  // Stage by stage: once a stage's workers are gone it can forward nothing more to the next one.
  for (auto& stage : stages_) {
    {
      const std::lock_guard lock(mutex_);
      stage.stopping = true;
    }
    wake_.notify_all();
    for (auto& worker : stage.workers) worker.join();
  }
}

void VerdictResolver::flush() {
  {
    const std::lock_guard lock(mutex_);
    for (auto& stage : stages_) stage.flush = true;
  }
  wake_.notify_all();
}

std::shared_ptr<ResolveTicket> VerdictResolver::submit(const std::vector<std::string>& hashes) {
  std::vector<std::string> unique(hashes.begin(), hashes.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  auto ticket = std::make_shared<ResolveTicket>(unique.size());
  counters_.asked += unique.size();

  std::map<std::string, intel::Verdict> remembered;
  std::unique_lock lock(mutex_);
  std::vector<std::string> to_read = unique;
  for (int attempt = 0; history_ != nullptr && !to_read.empty(); ++attempt) {
    const uint64_t generation = settled_generation_;
    lock.unlock();
    auto found = history_->find(to_read, std::chrono::system_clock::now());
    if (found) {
      remembered.merge(found.value());
    } else {
      core::log_warn("lookup history unreadable; asking the providers", {{"reason", found.error().message}});
    }
    lock.lock();
    if (!found || generation == settled_generation_ || attempt == kHistoryRereads) break;
    // A lookup finished while the history was read: what it remembered may be a hash read as missing.
    to_read.clear();
    for (const auto& hash : unique) {
      if (remembered.count(hash) == 0 && in_flight_.count(hash) == 0) to_read.push_back(hash);
    }
  }

  for (auto& stage : stages_) stage.flush = false;  // new input: batches may find company again
  for (const auto& hash : unique) {
    const auto hit = remembered.find(hash);
    const bool known = hit != remembered.end() && hit->second.classification != intel::Classification::kUnknown;
    if (hit != remembered.end()) ++counters_.history_hits;
    // A remembered "unknown" only spares the remembered providers: the local store is always read afresh.
    const size_t first = hit == remembered.end() ? 0 : first_stage(0, true);
    if (known || (hit != remembered.end() && first == stages_.size())) {
      ticket->settle(hash, &hit->second, nullptr);
      continue;
    }
    if (auto flying = in_flight_.find(hash); flying != in_flight_.end()) {
      ++counters_.coalesced;
      flying->second.waiters.push_back(ticket);
      continue;
    }
    const auto type = core::hash_type_of(hash);
    if (!type || providers_.empty()) {
      // Nothing can be asked: the file stays unknown.
      intel::Verdict unknown;
      unknown.hash = hash;
      unknown.looked_up_at = core::now_iso8601_utc();
      ticket->settle(hash, &unknown, nullptr);
      continue;
    }
    auto& entry = in_flight_[hash];
    entry.type = *type;
    entry.waiters.push_back(ticket);
    if (hit != remembered.end()) {
      entry.skip_remembered = true;
      entry.unknown = hit->second;
      entry.unknown_is_remembered = true;
    }
    enqueue(first, hash, *type);
  }
  return ticket;
}

size_t VerdictResolver::first_stage(size_t from, bool skip_remembered) const {
  while (from < providers_.size() && skip_remembered && providers_[from]->remembered()) ++from;
  return from;
}

void VerdictResolver::enqueue(size_t stage_index, const std::string& hash, core::HashType type) {
  stages_[stage_index].queues[type].push_back({hash, Clock::now()});
  wake_.notify_all();
}

bool VerdictResolver::take_batch(Stage& stage, size_t max_batch, core::HashType& type, std::vector<std::string>& batch,
                                 Clock::time_point& wake_at) {
  const auto now = Clock::now();
  wake_at = Clock::time_point::max();
  for (auto& [queue_type, queue] : stage.queues) {
    if (queue.empty()) continue;
    const auto due = queue.front().since + options_.max_wait;
    if (queue.size() >= max_batch || due <= now || stage.flush || stage.stopping) {
      type = queue_type;
      const size_t n = std::min(max_batch, queue.size());
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front().hash));
        queue.pop_front();
      }
      return true;
    }
    wake_at = std::min(wake_at, due);
  }
  return false;
}

void VerdictResolver::work(size_t stage_index) {
  auto& provider = *providers_[stage_index];
  const size_t max_batch = std::max<size_t>(1, provider.max_batch());
  std::unique_lock lock(mutex_);
  while (true) {
    auto& stage = stages_[stage_index];
    core::HashType type{};
    std::vector<std::string> batch;
    Clock::time_point wake_at;
    if (take_batch(stage, max_batch, type, batch, wake_at)) {
      lock.unlock();
      ++counters_.provider_calls;
      const auto result = provider.lookup(type, batch);
      finish(stage_index, type, batch, result);
      lock.lock();
      continue;
    }
    if (stage.stopping) return;  // queues empty and no earlier stage can add more
    if (wake_at == Clock::time_point::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, wake_at);
    }
  }
}

void VerdictResolver::finish(size_t stage_index, core::HashType type, const std::vector<std::string>& batch,
                             const intel::LookupResult& result) {
  const auto& provider = *providers_[stage_index];
  const std::string now_text = core::now_iso8601_utc();
  std::vector<Settled> settled;
  std::vector<std::pair<std::string, size_t>> forward;
  std::vector<intel::Verdict> to_remember;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& hash : batch) {
      auto& entry = in_flight_[hash];
      if (!result.ok()) {
        settled.push_back({hash, std::nullopt, result.failure});
        continue;
      }
      const auto found = result.verdicts.find(hash);
      const bool decided =
          found != result.verdicts.end() && found->second.classification != intel::Classification::kUnknown;
      if (decided) {
        if (provider.remembered()) to_remember.push_back(found->second);
        settled.push_back({hash, found->second, std::nullopt});
        continue;
      }
      // Unknown here. The answer of a remembered provider is what the history may keep; the local store's never.
      if (provider.remembered() || !entry.unknown) {
        intel::Verdict unknown = found != result.verdicts.end() ? found->second : intel::Verdict{};
        unknown.hash = hash;
        if (unknown.provider.empty()) unknown.provider = std::string(provider.name());
        if (unknown.looked_up_at.empty()) unknown.looked_up_at = now_text;
        if (provider.remembered() || !entry.unknown_from_remembered) {
          entry.unknown = std::move(unknown);
          entry.unknown_from_remembered = provider.remembered();
        }
      }
      if (const size_t next = first_stage(stage_index + 1, entry.skip_remembered); next < providers_.size()) {
        forward.emplace_back(hash, next);
        continue;
      }
      if (entry.unknown_from_remembered && !entry.unknown_is_remembered) to_remember.push_back(*entry.unknown);
      settled.push_back({hash, entry.unknown, std::nullopt});
    }
  }
  if (!result.ok()) {
    core::log_error("verdict lookup failed",
                    {{"provider", provider.name()}, {"hashes", batch.size()}, {"reason", result.failure->message}});
  }
  // Remembered before the in-flight entries go (and the generation moves), so a request arriving now finds the
  // history, not a gap.
  if (history_ != nullptr && !to_remember.empty()) {
    if (auto status = history_->remember(to_remember, std::chrono::system_clock::now()); !status) {
      core::log_warn("cannot write the lookup history; these hashes will be asked about again",
                     {{"reason", status.error().message}, {"verdicts", to_remember.size()}});
    }
  }
  const std::lock_guard lock(mutex_);
  ++settled_generation_;
  for (const auto& item : settled) {
    auto node = in_flight_.extract(item.hash);
    if (node.empty()) continue;
    for (auto& ticket : node.mapped().waiters) {
      ticket->settle(item.hash, item.verdict ? &*item.verdict : nullptr, item.failure ? &*item.failure : nullptr);
    }
  }
  for (const auto& [hash, next] : forward) enqueue(next, hash, type);
}

}  // namespace sb::pipeline
