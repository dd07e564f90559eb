// The delivery engine: one runner owns the at-least-once contract for every pipeline. A reader thread takes inputs
// from the source and lets the pipeline's stage start on each (parse it, begin slow lookups); the calling thread
// finishes them in input order, batches their items, writes and flushes every output (irrevocable ones first, the
// transactional store last) and only then acknowledges the inputs. A queue bounded in inputs and bytes between the
// two threads is the backpressure; one retry schedule covers both waiting for an input and committing a batch.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/backoff.hpp"
#include "core/bounded_queue.hpp"
#include "core/log.hpp"
#include "core/result.hpp"
#include "engine/dead_letters.hpp"
#include "engine/lease_keeper.hpp"
#include "engine/output.hpp"
#include "engine/quarantine.hpp"
#include "engine/source.hpp"

namespace sb::engine {

inline constexpr size_t kMiB = 1024 * 1024;

struct RunnerOptions {
  std::string_view pipeline = "pipeline";  // names the pipeline in log lines…
  std::string_view items = "items";        // …what its items are ("rows", "enrichments")…
  std::string_view outputs = "outputs";    // …what its outputs are called ("sinks", "writers")…
  //! …and what a failed finish means to its users.
  std::string_view unfinished = "input cannot be completed yet; trying again after a pause";
  size_t queue_inputs = 16;                             // started inputs waiting for the writer…
  size_t queue_bytes = 256 * kMiB;                      // …holding at most this much input between them
  size_t batch_items = 5000;                            // commit after this many items…
  size_t batch_inputs = 256;                            // …or inputs (quarantined ones have no items)…
  size_t batch_bytes = 64 * kMiB;                       // …or bytes of input…
  std::chrono::milliseconds flush_interval{500};        // …or when input pauses this long
  std::chrono::milliseconds first_retry{250};           // failed finishes and commits are retried, waiting from this…
  std::chrono::milliseconds max_retry_backoff{30'000};  // …up to this
  //! Tries of an input's finish before run() fails; unset: until it succeeds or a stop (a service waits out an
  //! outage, a --once run must end).
  std::optional<int> finish_tries;
};

//! Counters, readable from other threads for the progress line and metrics.
struct RunnerStats {
  std::atomic<uint64_t> inputs_done{0};
  std::atomic<uint64_t> inputs_failed{0};
  std::atomic<uint64_t> inputs_pending{0};
  std::atomic<uint64_t> bytes{0};  // of input read
};

//! One input on its way through the engine: what the stage made of it.
template <typename ItemT>
struct Work {
  using Item = ItemT;
  Input input;
  std::optional<core::Error> error;  // quarantine it with this reason
  bool pending = false;              // not ready yet: the source keeps it for later
  std::vector<Item> items;           // what every output receives
};

//! What became of an input, told to its stage after the source settled it.
struct Settled {
  Outcome outcome;
  bool acknowledged = false;  // false: the source could not take it, so the input comes again
  const SourceTraits& source;
  DeadLetterRecorder* dead_letters;  // may be null
};

//! What a pipeline plugs into the runner: the stages that are really its own.
template <typename S>
concept Stage = requires(S& stage, typename S::Work& work, std::span<const std::span<const typename S::Item>> parts,
                         size_t replays, const Settled& settled) {
  requires std::derived_from<typename S::Work, Work<typename S::Item>>;
  stage.start(work);                                     // reader thread: parse; begin slow lookups, do not wait
  { stage.finish(work) } -> std::same_as<core::Status>;  // writer thread, in input order: wait, make the items
  stage.restart(work);                                   // after a failed finish and a pause, before the next try
  stage.end_of_input();                                  // no more start() calls are coming
  stage.delivered(parts, replays);                       // after a commit: what went out, and how many were replays
  stage.settled(work, settled);                          // after the acknowledgement
  { stage.unkept_pending_reason() } -> std::convertible_to<std::string>;  // a pending input the source cannot keep
};

//! Logs what an acknowledgement that did not go through means (the input stays and comes again).
void log_unacknowledged(std::string_view pipeline, const Input& input, Outcome outcome, const core::Error& error);

template <Stage S>
class Runner {
 public:
  using Item = typename S::Item;
  using WorkT = typename S::Work;

  //! Nothing is owned: the pipeline keeps the parts for as long as the runner lives. `dead_letters` may be null.
  Runner(Source& source, const std::vector<std::unique_ptr<Output<Item>>>& outputs, DeadLetterRecorder* dead_letters,
         S& stage, RunnerStats& stats, RunnerOptions options)
      : source_(source),
        traits_(source.traits()),
        dead_letters_(dead_letters),
        stage_(stage),
        stats_(stats),
        options_(options) {
    for (const auto& output : outputs) outputs_.push_back(output.get());
    std::stable_sort(outputs_.begin(), outputs_.end(), [](const Output<Item>* a, const Output<Item>* b) {
      return a->commit_order() < b->commit_order();
    });
    for (auto* output : outputs_) {
      if (auto* ledger = output->ledger()) ledger_ = ledger;
    }
  }

  //! Runs until the source is exhausted or a stop is requested on `stop`; in-flight work is finished and
  //! acknowledged first. Fails when an output or the stage is refused for good, or when a stop came while they were
  //! being retried; unacknowledged inputs are delivered again on the next start.
  core::Status run(std::stop_token stop) {
    // A failure here must end the reader too, as a stop from outside does.
    std::stop_source local;
    const std::stop_callback forward(stop, [&] { local.request_stop(); });
    stop_ = local.get_token();
    std::optional<LeaseKeeper> leases;
    if (traits_.lease) leases.emplace(source_, *traits_.lease);
    leases_ = leases ? &*leases : nullptr;

    core::BoundedQueue<WorkT> queue(options_.queue_inputs, options_.queue_bytes);
    std::thread reader([&] { read_loop(queue); });
    std::vector<WorkT> batch;
    size_t batch_items = 0;
    size_t batch_bytes = 0;
    core::Status result;
    while (true) {
      auto work = queue.pop_for(options_.flush_interval);
      if (work) {
        if (auto status = finish(*work, batch); !status) {
          result = status;
          break;
        }
        if (batch.empty()) {  // finish() committed what came before while it waited
          batch_items = 0;
          batch_bytes = 0;
        }
        batch_items += work->items.size();
        batch_bytes += work->input.size;
        batch.push_back(std::move(*work));
      }
      // Commit when input pauses or ends, or when the batch is full by items, inputs or bytes (the memory bound).
      const bool full = batch_items >= options_.batch_items || batch.size() >= options_.batch_inputs ||
                        batch_bytes >= options_.batch_bytes;
      if (!work || full) {
        if (auto status = commit(batch); !status) {
          result = status;
          break;
        }
        batch_items = 0;
        batch_bytes = 0;
        if (!work && queue.closed_and_empty()) break;
      }
    }
    // On failure, closing makes the reader's next push fail and the stop ends a source that waits. What is still
    // queued is not acknowledged, so it is delivered again on the next start.
    queue.close();
    if (!result.ok()) local.request_stop();
    reader.join();
    leases_ = nullptr;
    // Every acknowledgement is in: the source makes its position durable (a Kafka commit) or says why it ended.
    if (auto closed = source_.close(); !closed && result.ok()) result = closed;
    return result;
  }

 private:
  void read_loop(core::BoundedQueue<WorkT>& queue) {
    while (auto input = source_.next(stop_)) {
      // Renewed from the moment it is taken: parsing a large input must not let its lease run out.
      if (leases_ != nullptr) leases_->hold(input->token, input->name);
      WorkT work;
      work.input = std::move(*input);
      if (work.input.read_error) {
        work.error = work.input.read_error;
      } else {
        work.input.size = work.input.bytes.size();
        stats_.bytes += work.input.size;
        stage_.start(work);
        if (!work.error && work.pending && !traits_.can_defer) {
          work.error = core::make_error(std::string(stage_.unkept_pending_reason()), core::ErrorKind::kBadInput);
        }
      }
      // The items carry everything now; the raw bytes stay only where a dead letter needs them.
      if (!work.error || traits_.keeps_inputs) std::string().swap(work.input.bytes);
      const size_t weight = work.input.size;
      const uint64_t token = work.input.token;
      if (!queue.push(std::move(work), weight)) {
        if (leases_ != nullptr) leases_->release(token);  // not acknowledged: its lease lapses, it comes again
        break;
      }
    }
    stage_.end_of_input();
    queue.close();
  }

  //! Waits for the stage to finish `work`, trying again after a pause while it fails for now.
  core::Status finish(WorkT& work, std::vector<WorkT>& batch) {
    if (work.error || work.pending) return {};
    core::RetrySchedule retry(options_.first_retry, options_.max_retry_backoff, stop_);
    for (int tries = 1;; ++tries) {
      auto status = stage_.finish(work);
      if (status) return {};
      // Earlier inputs are complete: commit them now rather than hold them through the pause, or lose them.
      if (auto committed = commit(batch); !committed) return committed;
      if (status.error().refused_for_good()) return status;
      if (options_.finish_tries && tries >= *options_.finish_tries) {
        return core::make_error(fmt::format("giving up after {} tries (the input stays for the next run): {}", tries,
                                            status.error().message));
      }
      core::log_warn(options_.unfinished,
                     {{"pipeline", options_.pipeline}, {"input", work.input.name}, {"reason", status.error().message}});
      if (!retry.wait()) return status;
      stage_.restart(work);
    }
  }

  core::Status write_batch(const std::vector<std::span<const Item>>& parts) {
    for (auto* output : outputs_) {
      for (const auto& part : parts) {
        if (auto status = output->write(part); !status) return status.error().with_context(output->name());
      }
    }
    // In commit order: what cannot be taken back goes first, the transactional store last.
    for (auto* output : outputs_) {
      if (auto status = output->flush(); !status) return status.error().with_context(output->name());
    }
    for (auto* output : outputs_) output->committed();
    return {};
  }

  //! A quarantined or pending input delivers nothing, whatever items the stage made before it knew.
  static bool delivers(const WorkT& work) { return !work.error && !work.pending; }

  core::Status commit(std::vector<WorkT>& batch) {
    if (batch.empty()) return {};
    core::RetrySchedule retry(options_.first_retry, options_.max_retry_backoff, stop_);
    auto retry_after = [&](const core::Status& status, const std::string& what) {
      core::log_error(what,
                      {{"pipeline", options_.pipeline}, {"reason", status.error().message}, {"inputs", batch.size()}});
      return retry.wait();
    };

    size_t total = 0;
    std::vector<Item> fresh;
    std::vector<std::span<const Item>> parts;
    if (ledger_ != nullptr) {
      // Delivered before (the ledger's own commit is the only thing that adds to it, so one read serves every try),
      // or twice in this batch: once is enough. Moved, not copied: the works need only their inputs from here on.
      std::vector<std::string> keys;
      for (const auto& work : batch) {
        if (!delivers(work)) continue;
        for (const auto& item : work.items) keys.emplace_back(ledger_->key(item));
      }
      std::set<std::string> taken;
      while (true) {
        auto found = ledger_->delivered(keys);
        if (found) {
          taken = std::move(found).value();
          break;
        }
        if (!retry_after(found.error(), fmt::format("cannot read which {} were delivered; retrying", options_.items))) {
          return found.error();
        }
      }
      total = keys.size();
      for (auto& work : batch) {
        if (!delivers(work)) continue;
        for (auto& item : work.items) {
          if (taken.emplace(ledger_->key(item)).second) fresh.push_back(std::move(item));
        }
        work.items.clear();
      }
      parts.emplace_back(fresh);
    } else {
      for (const auto& work : batch) {
        if (work.items.empty() || !delivers(work)) continue;
        total += work.items.size();
        parts.emplace_back(work.items);
      }
    }

    while (true) {
      auto status = write_batch(parts);
      if (status) break;
      for (auto* output : outputs_) output->discard();
      if (status.error().refused_for_good()) return status;
      if (!retry_after(status, fmt::format("{} could not commit a batch; retrying", options_.outputs))) return status;
    }
    size_t delivered = 0;
    for (const auto& part : parts) delivered += part.size();
    stage_.delivered(std::span<const std::span<const Item>>(parts), total - delivered);
    for (auto& work : batch) acknowledge(work);
    batch.clear();
    return {};
  }

  void acknowledge(WorkT& work) {
    const Outcome outcome = work.error ? Outcome::kFailed : work.pending ? Outcome::kPending : Outcome::kDone;
    // Released first: a renewal racing the acknowledgement would name an input the source has forgotten.
    if (leases_ != nullptr) leases_->release(work.input.token);
    if (!traits_.keeps_inputs) {
      // A stream keeps nothing once its position moves past an input, so what the input leaves behind (its dead
      // letter, its rejected records) is recorded before the acknowledgement. A failed acknowledgement then only
      // means it comes again: its dead letters may be recorded twice, never lost. A dead letter that could not be
      // written holds the acknowledgement back, so the input comes again after a restart.
      if (!settle(work, outcome, core::Result<Acknowledgement>(Acknowledgement{}))) {
        core::log_error(
            "input not acknowledged: its dead letter could not be recorded; it is read again after a restart",
            {{"pipeline", options_.pipeline}, {"input", work.input.name}});
        return;
      }
      auto ack = source_.acknowledge(work.input, outcome, work.error ? &*work.error : nullptr);
      if (!ack) log_unacknowledged(options_.pipeline, work.input, outcome, ack.error());
      return;
    }
    auto ack = source_.acknowledge(work.input, outcome, work.error ? &*work.error : nullptr);
    if (ack && ack->requeued) return;  // new content arrived meanwhile; it is delivered again and judged then
    if (!ack && outcome != Outcome::kFailed) log_unacknowledged(options_.pipeline, work.input, outcome, ack.error());
    (void)settle(work, outcome, ack);
  }

  //! Counts the outcome, records a quarantined input and tells the stage; false when the dead letter of a
  //! quarantined input could not be written.
  bool settle(WorkT& work, Outcome outcome, const core::Result<Acknowledgement>& ack) {
    bool recorded = true;
    switch (outcome) {
      case Outcome::kFailed:
        ++stats_.inputs_failed;
        recorded = record_quarantine(source_, dead_letters_, work.input, *work.error, ack).ok();
        break;
      case Outcome::kPending: ++stats_.inputs_pending; break;
      case Outcome::kDone: ++stats_.inputs_done; break;
    }
    stage_.settled(work, Settled{outcome, ack.ok(), traits_, dead_letters_});
    return recorded;
  }

  Source& source_;
  const SourceTraits traits_;
  std::vector<Output<Item>*> outputs_;  // in commit order
  Ledger<Item>* ledger_ = nullptr;      // of the output committed last that keeps one
  DeadLetterRecorder* dead_letters_;
  S& stage_;
  RunnerStats& stats_;
  RunnerOptions options_;
  std::stop_token stop_;           // of the current run: ends retry waits and the reader
  LeaseKeeper* leases_ = nullptr;  // during a run whose source leases its inputs
};

}  // namespace sb::engine
