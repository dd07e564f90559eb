// Every output, one line each. Adding an output: its file (the class and `const OutputEntry& NAME_entry()`, as in
// ndjson_output.cpp) and one line here; its keys, its choice in ingest.sinks or scan.writers, and doctor follow.
#include "outputs/output_entry.hpp"

#define SB_OUTPUTS(X)      \
  X(store_output)          \
  X(ndjson_output)         \
  X(logs_ingestion_output) \
  X(graph_output)

namespace sb::outputs {

#define SB_DECLARE_ENTRY(name) const OutputEntry& name##_entry();
SB_OUTPUTS(SB_DECLARE_ENTRY)
#undef SB_DECLARE_ENTRY

const core::Registry<OutputEntry>& output_registry() {
#define SB_ENTRY(name) &name##_entry(),
  static const core::Registry<OutputEntry> registry({SB_OUTPUTS(SB_ENTRY)});
#undef SB_ENTRY
  return registry;
}

}  // namespace sb::outputs
