// NDJSON enrichment writer: one JSON object per enrichment, to a file or stdout. At-least-once: a crash
// between its flush and the ledger's commit repeats lines on replay; each line carries its marker.
#pragma once

#include <memory>
#include <string>

#include "engine/enrichment_writer.hpp"
#include "outputs/ndjson_file.hpp"

namespace sb::outputs {

class NdjsonEnrichmentWriter final : public engine::EnrichmentWriter {
 public:
  static core::Result<std::unique_ptr<NdjsonEnrichmentWriter>> create(const std::string& path);

  std::string_view name() const override { return "ndjson"; }
  core::Status write(const std::vector<defender::Enrichment>& enrichments) override;
  core::Status flush() override { return file_->flush(); }
  void discard() override;
  void committed() override;
  size_t written() const override { return written_; }
  size_t duplicates() const override { return 0; }

 private:
  explicit NdjsonEnrichmentWriter(std::unique_ptr<NdjsonFile> file) : file_(std::move(file)) {}

  std::unique_ptr<NdjsonFile> file_;
  size_t batch_written_ = 0;
  size_t written_ = 0;
};

}  // namespace sb::outputs
