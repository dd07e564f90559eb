// The enrichments table: one row per delivered enrichment, keyed by its marker, so a replayed alert is
// recognised and not enriched twice.
#pragma once

#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "defender/enrichment.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

std::string enrichments_ddl();

//! Prepared once per connection: the insert runs per enrichment, the marker check per batch.
class EnrichmentsTable {
 public:
  static core::Result<EnrichmentsTable> create(Database& db);

  static constexpr std::string_view kName = "enrichments";

  //! Inserts the enrichments whose marker is not present yet, inside the caller's transaction; returns how many were
  //! new. `posted_at` is the time of the batch.
  core::Result<size_t> insert(std::span<const defender::Enrichment> enrichments, std::string_view posted_at);

  //! An enrichment is known by its marker.
  static std::string_view key(const defender::Enrichment& enrichment) { return enrichment.marker; }

  //! The markers among `markers` that are already in the table.
  core::Result<std::set<std::string>> existing_keys(const std::vector<std::string>& markers);

  //! The run's summary lines about the store at `path`: where the enrichments are, a query to try.
  static std::string summary(const std::filesystem::path& path);

 private:
  EnrichmentsTable(Statement insert, Statement exists) : insert_(std::move(insert)), exists_(std::move(exists)) {}
  Statement insert_;
  Statement exists_;
};

}  // namespace sb::store
