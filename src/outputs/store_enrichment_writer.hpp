// Store writer for the scanner: enrichments into the SQLite enrichments table (also the ledger of delivered
// enrichments) and bad records into dead_letters.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/enrichment_writer.hpp"
#include "engine/sink.hpp"
#include "store/enrichments_table.hpp"
#include "store/sqlite.hpp"

namespace sb::outputs {

class StoreEnrichmentWriter final : public engine::EnrichmentWriter,
                                    public engine::EnrichmentLedger,
                                    public engine::DeadLetterRecorder {
 public:
  static core::Result<std::unique_ptr<StoreEnrichmentWriter>> create(const std::filesystem::path& path);

  std::string_view name() const override { return "store"; }
  core::Status write(const std::vector<defender::Enrichment>& enrichments) override;
  core::Status flush() override;
  void discard() override;
  void committed() override;
  size_t written() const override { return written_; }
  size_t duplicates() const override { return duplicates_; }

  core::Result<std::set<std::string>> delivered(const std::vector<std::string>& markers) override;

  core::Status record(std::string_view source, std::string_view name, const core::Error& reason,
                      std::string_view location, std::string_view payload) override;

 private:
  StoreEnrichmentWriter(std::unique_ptr<store::Database> db, store::EnrichmentsTable table)
      : db_(std::move(db)), table_(std::move(table)) {}

  std::unique_ptr<store::Database> db_;
  store::EnrichmentsTable table_;
  std::vector<const std::vector<defender::Enrichment>*> pending_;  // valid until flush() or discard() (see write())
  bool in_transaction_ = false;
  size_t batch_written_ = 0;
  size_t batch_duplicates_ = 0;
  size_t written_ = 0;
  size_t duplicates_ = 0;
};

}  // namespace sb::outputs
