// Dead letters as files, for set-ups without the store: the payload (when the source keeps none) and a
// NAME.error.json sidecar, in one folder.
#pragma once

#include <filesystem>

#include "engine/dead_letters.hpp"

namespace sb::engine {

class FolderDeadLetters final : public DeadLetterRecorder {
 public:
  explicit FolderDeadLetters(std::filesystem::path folder) : folder_(std::move(folder)) {}

  core::Status record(std::string_view source, std::string_view name, const core::Error& reason,
                      std::string_view location, std::string_view payload) override;

 private:
  std::filesystem::path folder_;
  uint64_t sequence_ = 0;
};

//! The NAME.error.json text: {"file","reason","offset","time"} (shared with the folder source).
std::string error_sidecar_json(std::string_view file, const core::Error& reason);

}  // namespace sb::engine
