// NDJSON enrichment writer over an NdjsonFile batch.
#include "outputs/ndjson_enrichment_writer.hpp"

#include "core/clock.hpp"
#include "defender/enrichment_json.hpp"

namespace sb::outputs {

core::Result<std::unique_ptr<NdjsonEnrichmentWriter>> NdjsonEnrichmentWriter::create(const std::string& path) {
  auto file = NdjsonFile::open(path);
  if (!file) return file.error();
  return std::unique_ptr<NdjsonEnrichmentWriter>(new NdjsonEnrichmentWriter(std::move(file).value()));
}

core::Status NdjsonEnrichmentWriter::write(const std::vector<defender::Enrichment>& enrichments) {
  const std::string posted_at = core::now_iso8601_utc();
  for (const auto& enrichment : enrichments) {
    auto& buffer = file_->buffer();
    buffer += defender::enrichment_json(enrichment, posted_at);
    buffer.push_back('\n');
    ++batch_written_;
    if (auto status = file_->wrote(); !status) return status;
  }
  return {};
}

void NdjsonEnrichmentWriter::discard() {
  file_->discard();
  batch_written_ = 0;
}

void NdjsonEnrichmentWriter::committed() {
  file_->committed();
  written_ += batch_written_;
  batch_written_ = 0;
}

}  // namespace sb::outputs
