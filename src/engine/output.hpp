// The Output interface: where the items a pipeline makes (rows, enrichments) go. One interface for every item type;
// the engine writes a batch to every output, flushes each, and only then acknowledges the inputs.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sb::engine {

//! Whether an output can take a flushed batch back. The engine flushes in this order, so what cannot be undone
//! (a request to Azure) happens before what can, and the transactional store commits last, only once every other
//! output has succeeded: a failed batch leaves nothing in the store.
enum class CommitOrder {
  kIrrevocable,    // a network call, stdout: flushed first
  kRevertible,     // a file that is cut back to where the batch began
  kTransactional,  // the local store: one transaction, opened and committed inside flush()
};

//! Which items were delivered everywhere already: the output committed last keeps it (the store), so a key found
//! here means nothing is left to do for that item.
template <typename Item>
class Ledger {
 public:
  virtual ~Ledger() = default;
  //! The key an item is recognised by (an enrichment's marker).
  virtual std::string_view key(const Item& item) const = 0;
  //! The keys among `keys` that were delivered before.
  virtual core::Result<std::set<std::string>> delivered(const std::vector<std::string>& keys) = 0;
};

struct OutputCounters {
  uint64_t written = 0;     // items delivered since start
  uint64_t duplicates = 0;  // items it found already there (replays) and skipped
};

template <typename Item>
class Output {
 public:
  virtual ~Output() = default;
  virtual std::string_view name() const = 0;
  virtual CommitOrder commit_order() const = 0;

  //! Adds items to the open batch. `items` stays valid until the next flush() or discard() returns, so an output may
  //! keep a pointer instead of a copy.
  virtual core::Status write(std::span<const Item> items) = 0;

  //! Makes the batch durable.
  virtual core::Status flush() = 0;

  //! Drops the open batch, including what flush() wrote, where the output can (called on every output when any
  //! failed; the engine then writes the batch again). One that cannot take back relies on being idempotent.
  virtual void discard() = 0;

  //! Every output flushed: the batch is final.
  virtual void committed() {}

  virtual OutputCounters counters() const { return {}; }

  //! Lines for the run's summary ("" when it has nothing to add).
  virtual std::string summary() const { return {}; }

  //! The ledger of delivered items, when this output keeps one.
  virtual Ledger<Item>* ledger() { return nullptr; }
};

}  // namespace sb::engine
