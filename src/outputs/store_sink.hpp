// Store sink: rows into the SQLite spectra_detect_logs table, one transaction per batch; also the
// dead-letter recorder (dead_letters table).
#pragma once

#include <memory>

#include "engine/sink.hpp"
#include "store/detect_logs_table.hpp"
#include "store/sqlite.hpp"

namespace sb::outputs {

class StoreSink final : public engine::Sink, public engine::DeadLetterRecorder {
 public:
  static core::Result<std::unique_ptr<StoreSink>> create(const std::filesystem::path& path);

  std::string_view name() const override { return "store"; }
  core::Status write(const std::vector<detect::Row>& rows) override;
  core::Status flush() override;
  void discard() override;
  size_t duplicates() const override { return duplicates_; }

  core::Status record(std::string_view source, std::string_view name, const core::Error& reason,
                      std::string_view location, std::string_view payload) override;

 private:
  StoreSink(std::unique_ptr<store::Database> db, store::DetectLogsWriter writer)
      : db_(std::move(db)), writer_(std::move(writer)) {}

  std::unique_ptr<store::Database> db_;
  store::DetectLogsWriter writer_;
  std::vector<const std::vector<detect::Row>*> pending_;  // valid until flush() or discard() (see engine::Sink::write)
  bool in_transaction_ = false;
  size_t batch_duplicates_ = 0;
  size_t duplicates_ = 0;
};

}  // namespace sb::outputs
