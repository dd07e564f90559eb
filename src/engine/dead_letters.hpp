// Where quarantined inputs and refused items are recorded (the store's dead_letters table, or files).
#pragma once

#include <string_view>

#include "core/result.hpp"

namespace sb::engine {

class DeadLetterRecorder {
 public:
  virtual ~DeadLetterRecorder() = default;
  //! `source` names who set it aside ("folder", "logs_ingestion"), `name` the input or item, `location` where the
  //! input now lives when it was moved, `payload` the input itself when nothing else keeps it. Committed when recorded.
  virtual core::Status record(std::string_view source, std::string_view name, const core::Error& reason,
                              std::string_view location, std::string_view payload) = 0;
};

}  // namespace sb::engine
