// The stdin source: JSON documents read from a file descriptor (stdin) one after another until end of input. It
// keeps nothing, so a quarantined document's dead letter carries the document.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "engine/source.hpp"
#include "sources/document_splitter.hpp"

namespace sb::sources {

class StdinSource final : public engine::Source {
 public:
  //! Reads `fd` (not closed here); inputs are named "<label>#1", "<label>#2", …
  StdinSource(int fd, std::string label, size_t max_bytes)
      : fd_(fd), label_(std::move(label)), splitter_(max_bytes), max_bytes_(max_bytes) {}

  engine::SourceTraits traits() const override {
    return {.kind = "stdin", .keeps_inputs = false, .can_defer = false, .lease = std::nullopt};
  }
  std::string describe() const override { return label_; }
  std::optional<engine::Input> next(const std::stop_token& stop) override;
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input& input, engine::Outcome outcome,
                                                    const core::Error* reason) override;

 private:
  int fd_;
  std::string label_;
  DocumentSplitter splitter_;
  size_t max_bytes_;
  std::string chunk_;
  bool eof_ = false;
  uint64_t count_ = 0;
  std::mutex mutex_;  // guards in_flight_: next() and acknowledge() run on two threads
  std::set<uint64_t> in_flight_;
};

}  // namespace sb::sources
