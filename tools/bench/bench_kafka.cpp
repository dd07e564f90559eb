// bench kafka. The mock broker runs in this process, so on one core it competes with the pipeline for the CPU: the
// figures are a floor for what a real event hub (whose broker runs elsewhere) allows.
#include "tools/bench/bench_kafka.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/exit_codes.hpp"
#include "defender/streaming_message.hpp"
#include "pipeline/scan_pipeline.hpp"
#include "sources/event_hubs_source.hpp"
#include "store/local_verdicts.hpp"
#include "tools/generators/alert_generator.hpp"

namespace sb::tools {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kTopic = "bench-defender";
constexpr int kFlushTimeoutMs = 60'000;
constexpr auto kPacedTimeout = std::chrono::seconds(120);

//! Counts what is written and, for the alerts it was told about, when their enrichment was committed.
class TimingOutput final : public engine::Output<defender::Enrichment> {
 public:
  std::string_view name() const override { return "timing"; }
  engine::CommitOrder commit_order() const override { return engine::CommitOrder::kIrrevocable; }
  core::Status write(std::span<const defender::Enrichment> enrichments) override {
    for (const auto& enrichment : enrichments) batch_.push_back(enrichment.alert_id);
    return {};
  }
  core::Status flush() override { return {}; }
  void committed() override {
    const auto now = Clock::now();
    const std::lock_guard lock(mutex_);
    for (const auto& id : batch_) {
      const auto sent = produced_.find(id);
      if (sent != produced_.end()) latencies_.push_back(std::chrono::duration<double>(now - sent->second).count());
    }
    written_ += batch_.size();
    batch_.clear();
  }
  void discard() override { batch_.clear(); }
  engine::OutputCounters counters() const override { return {written_.load(), 0}; }

  void produced(const std::vector<std::string>& alert_ids, Clock::time_point at) {
    const std::lock_guard lock(mutex_);
    for (const auto& id : alert_ids) produced_[id] = at;
  }
  std::vector<double> latencies() {
    const std::lock_guard lock(mutex_);
    return latencies_;
  }
  uint64_t written() const { return written_; }

 private:
  std::vector<std::string> batch_;  // writer thread only
  std::mutex mutex_;                // guards the two below: the producer thread adds to produced_
  std::unordered_map<std::string, Clock::time_point> produced_;
  std::vector<double> latencies_;
  std::atomic<uint64_t> written_{0};
};

struct Cluster {
  rd_kafka_t* owner = nullptr;  // the handle the mock brokers live on
  rd_kafka_mock_cluster_t* mock = nullptr;
  rd_kafka_t* producer = nullptr;  // a client of the mock, like the one Defender's export is
  std::string bootstrap;
  ~Cluster() {
    if (producer != nullptr) {
      rd_kafka_flush(producer, kFlushTimeoutMs);
      rd_kafka_destroy(producer);
    }
    if (mock != nullptr) rd_kafka_mock_cluster_destroy(mock);
    if (owner != nullptr) rd_kafka_destroy(owner);
  }
};

rd_kafka_t* new_producer(const std::string& bootstrap) {
  std::array<char, 512> error{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", error.data(), error.size());
  rd_kafka_conf_set(conf, "linger.ms", "5", error.data(), error.size());
  if (!bootstrap.empty()) rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error.data(), error.size());
  return rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
}

bool start_cluster(Cluster& cluster, int partitions) {
  cluster.owner = new_producer({});
  if (cluster.owner == nullptr) return false;
  cluster.mock = rd_kafka_mock_cluster_new(cluster.owner, 1);
  if (cluster.mock == nullptr) return false;
  if (rd_kafka_mock_topic_create(cluster.mock, kTopic, partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  cluster.bootstrap = rd_kafka_mock_cluster_bootstraps(cluster.mock);
  cluster.producer = new_producer(cluster.bootstrap);
  return cluster.producer != nullptr;
}

//! Round robin over the partitions, as Event Hubs spreads events without a partition key.
bool produce(Cluster& cluster, const std::string& value, uint64_t index, int partitions) {
  const auto partition = static_cast<int32_t>(index % static_cast<uint64_t>(partitions));
  while (true) {
    const auto err = rd_kafka_producev(cluster.producer, RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_PARTITION(partition),
                                       RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                       RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return false;
    rd_kafka_poll(cluster.producer, 10);
  }
}

struct Phase {
  std::unique_ptr<pipeline::ScanPipeline> pipeline;
  TimingOutput* output = nullptr;
};

core::Result<Phase> make_phase(const Cluster& cluster, const std::string& group, bool once,
                               pipeline::VerdictResolver& resolver) {
  sources::EventHubsSourceOptions options;
  options.consumer.bootstrap_servers = cluster.bootstrap;
  options.consumer.topic = kTopic;
  options.consumer.group_id = group;
  options.consumer.security = kafka::Security::kPlaintext;
  options.max_bytes = 64ULL * 1024 * 1024;
  options.once = once;
  auto source = sources::EventHubsSource::create(std::move(options));
  if (!source) return source.error();
  Phase phase;
  auto output = std::make_unique<TimingOutput>();
  phase.output = output.get();
  std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>> outputs;
  outputs.push_back(std::move(output));
  phase.pipeline = std::make_unique<pipeline::ScanPipeline>(std::move(source).value(), resolver, std::move(outputs),
                                                            nullptr, pipeline::ScanOptions{});
  return phase;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[at];
}

}  // namespace

int bench_kafka(const BenchKafkaArgs& args) {
  if (args.one_core) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(0, &cpus);
    ::sched_setaffinity(0, sizeof(cpus), &cpus);
  }
  Cluster cluster;
  if (!start_cluster(cluster, args.partitions)) {
    std::fputs("bench kafka: cannot start the mock cluster\n", stderr);
    return core::kExitFailure;
  }
  DefenderGeneratorOptions generator;
  generator.seed = args.seed;
  generator.alert_count = args.alerts;
  generator.alerts_per_message = args.alerts_per_message;
  const uint64_t messages = defender_message_count(generator);
  uint64_t bytes = 0;
  uint64_t evidence = 0;
  defender::StreamingMessageParser parser;
  for (uint64_t m = 0; m < messages; ++m) {
    const auto message = generate_defender_message(generator, m);
    bytes += message.size();
    if (auto parsed = parser.parse(message)) evidence += parsed->evidence_records;
    if (!produce(cluster, message, m, args.partitions)) {
      std::fputs("bench kafka: produce failed\n", stderr);
      return core::kExitFailure;
    }
  }
  if (rd_kafka_flush(cluster.producer, kFlushTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fputs("bench kafka: the mock broker did not take the backlog\n", stderr);
    return core::kExitFailure;
  }
  for (int p = 0; p < args.partitions; ++p) {
    int64_t low = 0;
    int64_t high = 0;
    rd_kafka_query_watermark_offsets(cluster.producer, kTopic, p, &low, &high, kFlushTimeoutMs);
    if (low != 0) {
      std::fputs(fmt::format("bench kafka: the mock broker dropped the oldest {} message(s) of partition {} (it keeps "
                             "about 5 MB per partition): use more --partitions or fewer --alerts\n",
                             low, p)
                     .c_str(),
                 stderr);
      return core::kExitFailure;
    }
  }

  const auto store_path = std::filesystem::temp_directory_path() / fmt::format("sb-bench-kafka-{}.db", ::getpid());
  auto local = store::LocalVerdictProvider::open(store_path);
  if (!local) {
    std::fputs(fmt::format("bench kafka: {}\n", local.error().message).c_str(), stderr);
    return core::kExitFailure;
  }
  std::vector<std::shared_ptr<intel::IntelProvider>> providers{
      std::shared_ptr<intel::IntelProvider>(std::move(local).value())};
  pipeline::VerdictResolver resolver(providers, nullptr, pipeline::ResolverOptions{});

  // Throughput: the backlog, read to its end; timed from the first message, so the group join is left out.
  auto backlog = make_phase(cluster, "bench-backlog", true, resolver);
  if (!backlog) {
    std::fputs(fmt::format("bench kafka: {}\n", backlog.error().message).c_str(), stderr);
    return core::kExitFailure;
  }
  const auto& stats = backlog->pipeline->stats();
  std::atomic<bool> running{true};
  Clock::time_point first_read{};
  std::thread watch([&] {
    while (running && stats.bytes.load() == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    first_read = Clock::now();
  });
  const auto cpu_start = std::clock();
  const auto status = backlog->pipeline->run({});
  const auto end = Clock::now();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  running = false;
  watch.join();
  if (!status) {
    std::fputs(fmt::format("bench kafka: {}\n", status.error().message).c_str(), stderr);
    return core::kExitFailure;
  }
  const double seconds = std::chrono::duration<double>(end - first_read).count();

  // Latency: messages produced one by one at a steady rate while the service runs.
  auto paced = make_phase(cluster, "bench-paced", false, resolver);
  if (!paced) {
    std::fputs(fmt::format("bench kafka: {}\n", paced.error().message).c_str(), stderr);
    return core::kExitFailure;
  }
  std::stop_source stop;
  std::thread service([&] { (void)paced->pipeline->run(stop.get_token()); });
  // Wait for the new group to take its partitions and read the backlog again: only what comes after is timed.
  const auto backlog_read = Clock::now() + kPacedTimeout;
  while (paced->output->written() < backlog->output->written() && Clock::now() < backlog_read) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  DefenderGeneratorOptions later = generator;
  later.seed = args.seed + 1;
  later.alert_count = args.paced_messages * args.alerts_per_message;
  const auto interval = std::chrono::duration<double>(1.0 / args.rate);
  const auto paced_start = Clock::now();
  for (uint64_t m = 0; m < args.paced_messages; ++m) {
    std::this_thread::sleep_until(paced_start + std::chrono::duration_cast<Clock::duration>(interval * m));
    std::vector<std::string> ids;
    for (uint64_t a = m * args.alerts_per_message; a < (m + 1) * args.alerts_per_message; ++a) {
      ids.push_back(defender_alert_id(later, a));
    }
    paced->output->produced(ids, Clock::now());
    produce(cluster, generate_defender_message(later, m), m, args.partitions);
    rd_kafka_poll(cluster.producer, 0);
  }
  rd_kafka_flush(cluster.producer, kFlushTimeoutMs);
  const auto deadline = Clock::now() + kPacedTimeout;
  while (paced->output->latencies().size() < args.paced_messages * args.alerts_per_message / 2 &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop.request_stop();
  service.join();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store_path.string() + suffix);
  const auto latencies = paced->output->latencies();

  std::fputs(
      fmt::format("bench kafka: {} alerts in {} messages ({:.1f} MB) on {} partition(s) of an in-process mock "
                  "broker, local provider, {} (machine has {} cores)\n"
                  "  backlog: {} AlertEvidence records in {:.2f} s from the first message  →  {:.0f} records/s, "
                  "{:.0f} messages/s, {:.2f} CPU-seconds ({} messages read, {} records, {} enrichments)\n"
                  "  paced: {} messages at {}/s, {} alerts timed: produce → enrichment committed p50 {:.0f} ms, "
                  "p99 {:.0f} ms\n",
                  args.alerts, messages, static_cast<double>(bytes) / 1e6, args.partitions,
                  args.one_core ? "pinned to one core" : "all cores", std::thread::hardware_concurrency(), evidence,
                  seconds, static_cast<double>(evidence) / seconds, static_cast<double>(messages) / seconds, cpu,
                  stats.inputs_done.load() + stats.inputs_failed.load(), stats.records.load(),
                  backlog->output->written(), args.paced_messages, args.rate, latencies.size(),
                  percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000)
          .c_str(),
      stdout);
  return core::kExitOk;
}

}  // namespace sb::tools
