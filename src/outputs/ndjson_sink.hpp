// NDJSON sink: one JSON object per row, to a file (appended, fsync on flush) or to stdout.
#pragma once

#include <memory>
#include <string>

#include "engine/sink.hpp"
#include "outputs/ndjson_file.hpp"

namespace sb::outputs {

class NdjsonSink final : public engine::Sink {
 public:
  //! `path` "-" means stdout.
  static core::Result<std::unique_ptr<NdjsonSink>> create(const std::string& path);

  std::string_view name() const override { return "ndjson"; }
  core::Status write(const std::vector<detect::Row>& rows) override;
  core::Status flush() override { return file_->flush(); }
  //! Forgets the batch and, for a file, cuts it back to where the batch began (stdout cannot be undone).
  void discard() override { file_->discard(); }
  void committed() override { file_->committed(); }

 private:
  explicit NdjsonSink(std::unique_ptr<NdjsonFile> file) : file_(std::move(file)) {}

  std::unique_ptr<NdjsonFile> file_;
};

}  // namespace sb::outputs
