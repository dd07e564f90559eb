// The enrichments table: one row per delivered enrichment, keyed by its marker, so a replayed alert is
// recognised and not enriched twice.
#pragma once

#include <set>
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

  //! Inserts the enrichment unless its marker is present; returns whether it was new. Inside the caller's
  //! transaction.
  core::Result<bool> insert(const defender::Enrichment& enrichment, std::string_view posted_at);

  //! The markers among `markers` that are already in the table.
  core::Result<std::set<std::string>> existing_markers(const std::vector<std::string>& markers);

 private:
  EnrichmentsTable(Statement insert, Statement exists) : insert_(std::move(insert)), exists_(std::move(exists)) {}
  Statement insert_;
  Statement exists_;
};

}  // namespace sb::store
