// The Sink interface: where rows go. Writes are batched; flush() is the commit point.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "detect/row.hpp"

namespace sb::engine {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::string_view name() const = 0;

  //! Adds the rows of one input to the open batch. `rows` stays valid until the next flush() or discard()
  //! returns, so a sink may keep a pointer to it instead of a copy.
  virtual core::Status write(const std::vector<detect::Row>& rows) = 0;

  //! Makes the batch durable. Inputs are acknowledged only after every sink flushed.
  virtual core::Status flush() = 0;

  //! Drops the open batch, including what flush() wrote, where the sink can (called on every sink
  //! when any sink failed; the pipeline then writes the batch again).
  virtual void discard() = 0;

  //! Every sink flushed: the batch is final and will not be discarded.
  virtual void committed() {}

  //! Rows the sink dropped as already present (replays), for the summary.
  virtual size_t duplicates() const { return 0; }

  //! A line for the run's summary about what this sink delivered ("" when it has nothing to add).
  virtual std::string summary() const { return {}; }
};

//! Records quarantined inputs (the store's dead_letters table).
class DeadLetterRecorder {
 public:
  virtual ~DeadLetterRecorder() = default;
  virtual core::Status record(std::string_view source, std::string_view name, const core::Error& reason,
                              std::string_view location, std::string_view payload) = 0;
};

}  // namespace sb::engine
