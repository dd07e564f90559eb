// NDJSON sink: one JSON object per row, to a file (appended, fsync on flush) or to stdout.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <string>

#include "pipeline/sink.hpp"

namespace sb::pipeline {

class NdjsonSink final : public Sink {
 public:
  //! `path` "-" means stdout.
  static core::Result<std::unique_ptr<NdjsonSink>> create(const std::string& path);
  ~NdjsonSink() override;

  std::string_view name() const override { return "ndjson"; }
  core::Status write(const std::vector<detect::Row>& rows) override;
  core::Status flush() override;
  //! Forgets the buffer and, for a file, cuts it back to where the batch began (stdout cannot be undone).
  void discard() override;
  void committed() override { batch_open_ = false; }

 private:
  NdjsonSink(int fd, bool owned, std::string path) : fd_(fd), owned_(owned), path_(std::move(path)) {}
  core::Status write_out();

  int fd_;
  bool owned_;
  std::string path_;
  std::string buffer_;
  bool batch_open_ = false;
  off_t batch_start_ = 0;  // file size when the open batch began
};

}  // namespace sb::pipeline
