// Every output, one line each. Adding an output: its file (the class and `const OutputEntry& NAME_entry()`, as in
// ndjson_output.cpp) and one line here; its keys, its choice in ingest.sinks or scan.writers, and doctor follow.
#include "outputs/output_entry.hpp"

#define SB_OUTPUTS(X)      \
  X(store_output)          \
  X(ndjson_output)         \
  X(logs_ingestion_output) \
  X(graph_output)

namespace sb::outputs {

SB_DEFINE_REGISTRY(OutputEntry, output_registry, SB_OUTPUTS)

}  // namespace sb::outputs
