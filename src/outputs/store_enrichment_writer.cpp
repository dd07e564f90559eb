// Store enrichment writer: one transaction per batch, opened and committed inside flush() so the write lock is
// never held while other writers wait on the network; INSERT OR IGNORE on the marker makes replays no-ops.
#include "outputs/store_enrichment_writer.hpp"

#include "core/clock.hpp"
#include "store/dead_letters.hpp"
#include "store/store.hpp"

namespace sb::outputs {

core::Result<std::unique_ptr<StoreEnrichmentWriter>> StoreEnrichmentWriter::create(const std::filesystem::path& path) {
  auto db = store::open_store(path);
  if (!db) return db.error();
  auto table = store::EnrichmentsTable::create(**db);
  if (!table) return table.error();
  return std::unique_ptr<StoreEnrichmentWriter>(
      new StoreEnrichmentWriter(std::move(db).value(), std::move(table).value()));
}

core::Status StoreEnrichmentWriter::write(const std::vector<defender::Enrichment>& enrichments) {
  pending_.push_back(&enrichments);
  return {};
}

core::Status StoreEnrichmentWriter::flush() {
  if (pending_.empty()) return {};
  if (auto status = db_->exec("BEGIN IMMEDIATE"); !status) return status;
  in_transaction_ = true;
  const std::string posted_at = core::now_iso8601_utc();
  for (const auto* enrichments : pending_) {
    for (const auto& enrichment : *enrichments) {
      auto inserted = table_.insert(enrichment, posted_at);
      if (!inserted) {
        discard();
        return inserted.error();
      }
      ++(*inserted ? batch_written_ : batch_duplicates_);
    }
  }
  if (auto status = db_->exec("COMMIT"); !status) {
    discard();
    return status;
  }
  in_transaction_ = false;
  pending_.clear();
  return {};
}

void StoreEnrichmentWriter::discard() {
  if (in_transaction_) (void)db_->exec("ROLLBACK");
  in_transaction_ = false;
  pending_.clear();
  batch_written_ = 0;
  batch_duplicates_ = 0;
}

void StoreEnrichmentWriter::committed() {
  written_ += batch_written_;
  duplicates_ += batch_duplicates_;
  batch_written_ = 0;
  batch_duplicates_ = 0;
}

core::Result<std::set<std::string>> StoreEnrichmentWriter::delivered(const std::vector<std::string>& markers) {
  return table_.existing_markers(markers);
}

core::Status StoreEnrichmentWriter::record(std::string_view source, std::string_view name, const core::Error& reason,
                                           std::string_view location, std::string_view payload) {
  const store::DeadLetter letter{"scan", source, name, reason.message, reason.offset, location, payload};
  return store::insert_dead_letter(*db_, letter);
}

}  // namespace sb::outputs
