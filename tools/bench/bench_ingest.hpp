// `bench ingest`: throughput of parse + flatten + NDJSON serialisation on one core, and peak memory.
#pragma once

#include <string>

namespace sb::tools {

struct BenchIngestArgs {
  std::string input;
  int repeat = 3;
};

int bench_ingest(const BenchIngestArgs& args);

}  // namespace sb::tools
