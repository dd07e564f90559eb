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

//! Inserts the enrichment unless its marker is present; returns whether it was new. No transaction of its own.
core::Result<bool> insert_enrichment(Database& db, const defender::Enrichment& enrichment, std::string_view posted_at);

//! The markers among `markers` that are already in the table.
core::Result<std::set<std::string>> existing_markers(Database& db, const std::vector<std::string>& markers);

}  // namespace sb::store
