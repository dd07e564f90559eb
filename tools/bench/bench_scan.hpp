// `bench scan`: Defender message parsing throughput, and provider calls and enrichment rate through the whole
// scan pipeline against a simulated provider with a fixed latency.
#pragma once

#include <cstdint>

namespace sb::tools {

struct BenchScanArgs {
  uint64_t alerts = 10'000;
  uint64_t alerts_per_message = 10;
  uint64_t seed = 1;
  int repeat = 3;
  int latency_ms = 50;
};

int bench_scan(const BenchScanArgs& args);

}  // namespace sb::tools
