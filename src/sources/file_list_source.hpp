// File-list source: reads the given files once, in order, and leaves them where they are.
#pragma once

#include <filesystem>
#include <vector>

#include "engine/source.hpp"

namespace sb::sources {

class FileListSource final : public engine::Source {
 public:
  FileListSource(std::vector<std::filesystem::path> paths, size_t max_bytes)
      : paths_(std::move(paths)), max_bytes_(max_bytes) {}

  std::optional<engine::Input> next(const std::stop_token& stop) override;
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input&, engine::Outcome,
                                                    const core::Error*) override {
    return engine::Acknowledgement{};
  }
  std::string_view kind() const override { return "files"; }
  bool dead_letter_keeps_payload() const override { return false; }

 private:
  std::vector<std::filesystem::path> paths_;
  size_t max_bytes_;
  size_t position_ = 0;
};

}  // namespace sb::sources
