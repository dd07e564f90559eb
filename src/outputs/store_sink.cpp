// Store sink: the batch's rows are inserted and committed inside flush(), so the write lock is never held while
// another sink waits on the network; ROLLBACK when anything fails.
#include "outputs/store_sink.hpp"

#include "store/dead_letters.hpp"
#include "store/store.hpp"

namespace sb::outputs {

core::Result<std::unique_ptr<StoreSink>> StoreSink::create(const std::filesystem::path& path) {
  auto db = store::open_store(path);
  if (!db) return db.error();
  auto writer = store::DetectLogsWriter::create(**db);
  if (!writer) return writer.error();
  return std::unique_ptr<StoreSink>(new StoreSink(std::move(db).value(), std::move(writer).value()));
}

core::Status StoreSink::write(const std::vector<detect::Row>& rows) {
  pending_.push_back(&rows);
  return {};
}

core::Status StoreSink::flush() {
  if (pending_.empty()) return {};
  if (auto status = db_->exec("BEGIN IMMEDIATE"); !status) return status;
  in_transaction_ = true;
  for (const auto* rows : pending_) {
    auto inserted = writer_.insert(*rows);
    if (!inserted) {
      discard();
      return inserted.error();
    }
    batch_duplicates_ += rows->size() - *inserted;
  }
  if (auto status = db_->exec("COMMIT"); !status) {
    discard();
    return status;
  }
  in_transaction_ = false;
  pending_.clear();
  duplicates_ += batch_duplicates_;
  batch_duplicates_ = 0;
  return {};
}

void StoreSink::discard() {
  // Also releases the write lock, so another sink or process is not blocked during the retry backoff.
  if (in_transaction_) (void)db_->exec("ROLLBACK");
  in_transaction_ = false;
  pending_.clear();
  batch_duplicates_ = 0;
}

core::Status StoreSink::record(std::string_view source, std::string_view name, const core::Error& reason,
                               std::string_view location, std::string_view payload) {
  const store::DeadLetter letter{"ingest", source, name, reason.message, reason.offset, location, payload};
  return store::insert_dead_letter(*db_, letter);
}

}  // namespace sb::outputs
