// Resolves file hashes to verdicts: lookup history first, then the providers in priority order (the first
// non-unknown verdict wins). Concurrent requests for one hash share one lookup, and misses are batched per
// provider and hash type: a batch leaves when it is full (the provider's max_batch) or has waited max_wait.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "intel/intel_provider.hpp"
#include "intel/lookup_history.hpp"

namespace sb::pipeline {

struct ResolverOptions {
  std::chrono::milliseconds max_wait{500};  // how long a partial batch waits for more hashes
  size_t workers_per_provider = 2;          // lookups in flight per provider
};

//! The outcome for a set of hashes: a verdict for each, or the failure that stopped one of them.
struct Resolution {
  std::map<std::string, intel::Verdict> verdicts;
  std::optional<core::Error> failure;  // set: the hashes it concerns have no verdict; ask again later
};

//! A pending resolution; wait() blocks until every hash of it is decided.
class ResolveTicket {
 public:
  explicit ResolveTicket(size_t outstanding) : outstanding_(outstanding) {}
  Resolution wait();
  bool ready() const;

 private:
  friend class VerdictResolver;
  void settle(const std::string& hash, const intel::Verdict* verdict, const core::Error* failure);

  mutable std::mutex mutex_;
  std::condition_variable done_;
  size_t outstanding_;
  Resolution resolution_;
};

struct ResolverCounters {
  std::atomic<uint64_t> asked{0};           // distinct hashes per submit
  std::atomic<uint64_t> history_hits{0};    // answered by the lookup history
  std::atomic<uint64_t> coalesced{0};       // joined a lookup already in flight
  std::atomic<uint64_t> provider_calls{0};  // lookup() calls over all providers
};

class VerdictResolver {
 public:
  //! `history` may be null (no reuse). Providers are asked in this order.
  VerdictResolver(std::vector<std::shared_ptr<intel::IntelProvider>> providers, intel::LookupHistory* history,
                  ResolverOptions options);
  //! Finishes every queued lookup (without waiting out max_wait) and stops the workers.
  ~VerdictResolver();
  VerdictResolver(const VerdictResolver&) = delete;
  VerdictResolver& operator=(const VerdictResolver&) = delete;

  //! Starts resolving lower-case hashes (duplicates allowed); returns at once.
  std::shared_ptr<ResolveTicket> submit(const std::vector<std::string>& hashes);
  Resolution resolve(const std::vector<std::string>& hashes) { return submit(hashes)->wait(); }

  //! Sends every partial batch now instead of after max_wait, until the next submit(): the caller has no more
  //! hashes coming (end of input), so waiting for company would only add latency.
  void flush();

  const ResolverCounters& counters() const { return counters_; }
  const std::vector<std::shared_ptr<intel::IntelProvider>>& providers() const { return providers_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Queued {
    std::string hash;
    Clock::time_point since;
  };
  struct Stage {
    std::map<core::HashType, std::deque<Queued>> queues;
    bool flush = false;  // send partial batches without waiting (until the next submit)
    bool stopping = false;
    std::vector<std::thread> workers;
  };
  struct InFlight {
    core::HashType type;
    //! The history already holds an "unknown" for it: only providers that are never remembered are asked.
    bool skip_remembered = false;
    //! The answer if nobody knows the file: a remembered provider's "unknown" when there is one (the history
    //! may keep that), else the last provider's.
    std::optional<intel::Verdict> unknown;
    bool unknown_from_remembered = false;
    bool unknown_is_remembered = false;  // it came from the history: nothing to write back
    std::vector<std::shared_ptr<ResolveTicket>> waiters;
  };
  struct Settled {
    std::string hash;
    std::optional<intel::Verdict> verdict;
    std::optional<core::Error> failure;
  };

  void work(size_t stage_index);
  //! A full batch, or one that waited long enough (or any, when stopping); false when there is none yet.
  bool take_batch(Stage& stage, size_t max_batch, core::HashType& type, std::vector<std::string>& batch,
                  Clock::time_point& wake_at);
  void finish(size_t stage_index, core::HashType type, const std::vector<std::string>& batch,
              const intel::LookupResult& result);
  void enqueue(size_t stage_index, const std::string& hash, core::HashType type);
  //! The first stage at or after `from` to ask (skipping remembered providers when told to).
  size_t first_stage(size_t from, bool skip_remembered) const;

  //! A history read that raced the end of a lookup is repeated at most this often.
  static constexpr int kHistoryRereads = 2;

  std::vector<std::shared_ptr<intel::IntelProvider>> providers_;
  intel::LookupHistory* history_;
  ResolverOptions options_;
  ResolverCounters counters_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Stage> stages_;
  std::unordered_map<std::string, InFlight> in_flight_;
  uint64_t settled_generation_ = 0;  // moves whenever lookups settle, so a submit can tell its history read is stale
};

}  // namespace sb::pipeline
