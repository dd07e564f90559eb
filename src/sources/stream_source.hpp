// Stream source: reads JSON documents from a file descriptor (stdin) one after another until end of input.
#pragma once

#include <memory>

#include "engine/source.hpp"
#include "sources/document_splitter.hpp"

namespace sb::sources {

class StreamSource final : public engine::Source {
 public:
  StreamSource(int fd, std::string label, size_t max_bytes)
      : fd_(fd), label_(std::move(label)), splitter_(max_bytes), max_bytes_(max_bytes) {}

  std::optional<engine::Input> next(const std::stop_token& stop) override;
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input&, engine::Outcome,
                                                    const core::Error*) override {
    return engine::Acknowledgement{};
  }
  std::string_view kind() const override { return "stdin"; }
  bool dead_letter_keeps_payload() const override { return true; }

 private:
  int fd_;
  std::string label_;
  DocumentSplitter splitter_;
  size_t max_bytes_;
  std::string chunk_;
  bool eof_ = false;
  uint64_t count_ = 0;
};

}  // namespace sb::sources
