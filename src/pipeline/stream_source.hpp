// Stream source: reads JSON documents from a file descriptor (stdin) one after another until end of input.
#pragma once

#include <memory>

#include "pipeline/document_splitter.hpp"
#include "pipeline/source.hpp"

namespace sb::pipeline {

class StreamSource final : public Source {
 public:
  StreamSource(int fd, std::string label, size_t max_bytes)
      : fd_(fd), label_(std::move(label)), splitter_(max_bytes), max_bytes_(max_bytes) {}

  std::optional<Input> next() override;
  core::Result<Acknowledgement> acknowledge(const Input&, Outcome, const core::Error*) override {
    return Acknowledgement{};
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

}  // namespace sb::pipeline
