// The Source interface: where inputs (report files, documents) come from and how they are acknowledged.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::engine {

//! One unit of input, processed all-or-nothing.
struct Input {
  std::string name;                       // file path or "stdin#3", used in every message about it
  std::string bytes;                      // the content (with spare capacity for the parser's padding)
  std::optional<core::Error> read_error;  // reading failed (too large, unreadable): quarantine it
  uint64_t token = 0;                     // the source's own handle for acknowledge()
  size_t size = 0;                        // bytes read (kept after `bytes` is released)
};

enum class Outcome {
  kDone,     // every effect committed
  kFailed,   // quarantined: the reason is passed along
  kPending,  // not ready yet (report still processing): leave it for later
};

//! What became of an acknowledged input.
struct Acknowledgement {
  //! The input changed while it was processed, so the source will read it again: what was decided
  //! about the old content (done, quarantined) does not apply and must not be recorded.
  bool requeued = false;
  std::string location;  // where a quarantined input now lives; empty when the source keeps nothing
};

class Source {
 public:
  virtual ~Source() = default;

  //! Blocks until the next input. nullopt when the source is exhausted (end of stdin, --once drained)
  //! or a stop was requested on `stop`.
  virtual std::optional<Input> next(const std::stop_token& stop) = 0;

  //! Called once per input, after its rows are committed by every sink (kDone), or when it is
  //! quarantined or left for later.
  virtual core::Result<Acknowledgement> acknowledge(const Input& input, Outcome outcome, const core::Error* reason) = 0;

  //! "folder", "stdin", "files".
  virtual std::string_view kind() const = 0;

  //! Whether the dead-letter record must carry the payload (true when nothing else keeps the input).
  virtual bool dead_letter_keeps_payload() const = 0;
};

}  // namespace sb::engine
