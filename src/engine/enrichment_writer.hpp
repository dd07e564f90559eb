// The EnrichmentWriter interface: where enrichments go (the store, NDJSON, and the Defender write-back through
// Graph next). Writers are idempotent by marker, and the ledger says which enrichments were fully delivered.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "defender/enrichment.hpp"

namespace sb::engine {

class EnrichmentWriter {
 public:
  virtual ~EnrichmentWriter() = default;
  virtual std::string_view name() const = 0;

  //! Delivers enrichments into the open batch. One whose marker this writer already holds is skipped and
  //! counted as a duplicate (a replay after a crash must not post twice). `enrichments` stays valid until the
  //! next flush() or discard() returns, so a writer may keep a pointer to it instead of a copy.
  virtual core::Status write(const std::vector<defender::Enrichment>& enrichments) = 0;

  //! Makes the batch durable. Inputs are acknowledged only after every writer flushed.
  virtual core::Status flush() = 0;

  //! Drops the open batch where the writer can (called on every writer when any failed; the batch is then
  //! written again). A writer that cannot take back (a posted comment) relies on its marker check instead.
  virtual void discard() = 0;

  //! Every writer flushed: the batch is final.
  virtual void committed() {}

  virtual size_t written() const = 0;
  virtual size_t duplicates() const = 0;
};

//! Which enrichments were delivered to every writer already: committed last, after all writers flushed, so a
//! marker here means nothing is left to do for that alert and file set.
class EnrichmentLedger {
 public:
  virtual ~EnrichmentLedger() = default;
  virtual core::Result<std::set<std::string>> delivered(const std::vector<std::string>& markers) = 0;
};

}  // namespace sb::engine
