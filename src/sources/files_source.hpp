// The files source: reads the files it is given once, in order, and leaves them where they are (acknowledging moves
// nothing, so a quarantined file stays in place and a pending one is simply read again next time).
#pragma once

#include <filesystem>
#include <mutex>
#include <set>
#include <vector>

#include "engine/source.hpp"

namespace sb::sources {

class FilesSource final : public engine::Source {
 public:
  FilesSource(std::vector<std::filesystem::path> paths, size_t max_bytes)
      : paths_(std::move(paths)), max_bytes_(max_bytes) {}

  engine::SourceTraits traits() const override {
    return {.kind = "files", .keeps_inputs = true, .can_defer = true, .lease = std::nullopt};
  }
  std::string describe() const override;
  std::optional<engine::Input> next(const std::stop_token& stop) override;
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input& input, engine::Outcome outcome,
                                                    const core::Error* reason) override;

 private:
  std::vector<std::filesystem::path> paths_;
  size_t max_bytes_;
  size_t position_ = 0;  // reader thread only
  std::mutex mutex_;     // guards in_flight_: next() and acknowledge() run on two threads
  std::set<uint64_t> in_flight_;
};

}  // namespace sb::sources
