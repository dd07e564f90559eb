// The Source contract: where inputs come from, and how each one is settled once its effects are durable.
//
// Every source (a folder, stdin, a file list; Event Hubs, a Storage queue, a webhook next) keeps this contract, and
// tests/unit/engine/source_contract_test.cpp checks each one against it.
//
// Threads. next() is called from one thread only, the reader. acknowledge() is called from another thread, the
// writer, and renew() from a third, the lease keeper; both may run while next() is blocked. A source guards the state
// they share, and never holds a lock that acknowledge() needs while it blocks, reads or waits on the network.
//
// Once. Every input next() returns is acknowledged at most once (a second acknowledge() of it is an error). An input
// that is never acknowledged, because the process crashed or its run failed or stopped before its batch committed,
// is delivered again by a later run: a file stays in the inbox, an uncommitted offset is read again, a queue message
// reappears when its lease lapses. Nothing is lost by not acknowledging; the engine relies on it.
//
// Order. Acknowledgements may come in any order, not necessarily the order next() handed the inputs out. A source
// whose position may only advance in order (a Kafka partition, whose offset may be committed only when every earlier
// message is done) keeps that order itself: it remembers what was acknowledged and commits up to the first gap.
//
// Leases. A source whose inputs are leased (a queue message hidden for a visibility timeout) says so in
// traits().lease. The engine then calls renew() for every input in flight well before its lease can lapse, until
// the input is acknowledged; a crash stops the renewals, the lease lapses and the input is delivered again. renew()
// of an input that was just acknowledged is a no-op.
//
// Streams. A source that keeps nothing (traits().keeps_inputs == false) has the engine record an input's dead letters
// before it is acknowledged, since acknowledging moves the stream's position past it for good.
//
// Outcomes. kDone: every effect of the input is durable; the source forgets it (moves the file to done/, deletes the
// message, stores the offset). kFailed: the input is quarantined; the source keeps it where an operator finds it
// (failed/ with a NAME.error.json sidecar, a poison queue) and names that place in Acknowledgement::location. A
// source that keeps nothing (stdin, a stream offset) says so with traits().keeps_inputs == false, and the dead
// letter then carries the payload. kPending: the input is not ready yet (a report still being analysed); only a
// source with traits().can_defer is asked to keep such an input where it is, to be offered again: later in the same
// run (the folder source rechecks it) or on the next run (the files source leaves a named file in place).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::engine {

//! One unit of input, processed all-or-nothing.
struct Input {
  std::string name;                       // file path, "stdin#3", "topic/2@1045": used in every message about it
  std::string bytes;                      // the content (with spare capacity for the parser's padding)
  std::optional<core::Error> read_error;  // reading failed (too large, unreadable): quarantine it
  uint64_t token = 0;                     // the source's own handle for acknowledge() and renew()
  size_t size = 0;                        // bytes read (kept after `bytes` is released)
};

enum class Outcome {
  kDone,     // every effect committed
  kFailed,   // quarantined: the reason is passed along
  kPending,  // not ready yet: leave it for later (only when traits().can_defer)
};

//! What became of an acknowledged input.
struct Acknowledgement {
  //! The input changed while it was processed, so the source will deliver it again: what was decided about the old
  //! content (done, quarantined) does not apply and must not be recorded.
  bool requeued = false;
  //! Where a quarantined input now lives (a failed/ path, a poison queue); empty when the source kept it in place or
  //! keeps nothing.
  std::string location;
};

struct SourceTraits {
  std::string_view kind;  // "folder", "stdin", "files": the dead letters and the logs name it
  //! A quarantined input stays readable (where Acknowledgement::location says, or where it was); false: the source
  //! keeps nothing, so the dead letter must carry the payload.
  bool keeps_inputs = true;
  //! Outcome::kPending is honoured: the source keeps a pending input and offers it again.
  bool can_defer = false;
  //! Inputs in flight lapse (are delivered again) unless renew() is called within this; nullopt: no lease.
  std::optional<std::chrono::milliseconds> lease;
};

class Source {
 public:
  virtual ~Source() = default;

  virtual SourceTraits traits() const = 0;

  //! What it reads, for the start-up log line ("folder /data/inbox/detect", "stdin", "3 file(s)").
  virtual std::string describe() const = 0;

  //! Blocks until the next input. nullopt when the source is exhausted (end of stdin, --once drained) or a stop was
  //! requested on `stop`.
  virtual std::optional<Input> next(const std::stop_token& stop) = 0;

  //! Settles `input` (see the contract above); `reason` is set for kFailed.
  virtual core::Result<Acknowledgement> acknowledge(const Input& input, Outcome outcome, const core::Error* reason) = 0;

  //! Extends the lease of the input with `token` (only called when traits().lease is set).
  virtual core::Status renew(uint64_t /*token*/) { return {}; }

  //! Called once at the end of a run, after the last acknowledgement: the source makes its position durable (commits
  //! the stored Kafka offsets). An error fails the run: the position did not stick (so inputs come again), or the
  //! source ended for a reason of its own (no partition was ever assigned).
  virtual core::Status close() { return {}; }

  //! Where the source stands, for the summary and the progress line ("partition 0: lag 0; partition 1: lag 12");
  //! empty when it has nothing to add. Safe to call from any thread.
  virtual std::string position() const { return {}; }
};

}  // namespace sb::engine
