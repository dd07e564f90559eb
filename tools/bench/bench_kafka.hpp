// `bench kafka`: Defender messages from an in-process librdkafka mock cluster through the Event Hubs source and the
// scan pipeline with the local provider: AlertEvidence records per second on one core, and the latency from produce
// to enrichment written.
#pragma once

#include <cstdint>

namespace sb::tools {

struct BenchKafkaArgs {
  uint64_t alerts = 20'000;  // the backlog read by the throughput phase (167 MB)…
  uint64_t alerts_per_message = 10;
  int partitions = 64;  // …spread thin: the mock broker keeps only about 5 MB per partition
  uint64_t seed = 1;
  uint64_t paced_messages = 2'000;  // produced one by one in the latency phase…
  int rate = 500;                   // …at this many messages per second
  bool one_core = true;             // pin the process (pipeline and mock broker) to one CPU
};

int bench_kafka(const BenchKafkaArgs& args);

}  // namespace sb::tools
