// bench scan. The simulated provider stands in for Spectra Intelligence: it sleeps for the latency and answers
// every hash, so the figures show what batching and coalescing save, not what a network costs.
#include "tools/bench/bench_scan.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "core/exit_codes.hpp"
#include "core/hash_type.hpp"
#include "defender/enrichment.hpp"
#include "defender/streaming_message.hpp"
#include "pipeline/scan_pipeline.hpp"
#include "store/lookup_history_table.hpp"
#include "tools/generators/alert_generator.hpp"

namespace sb::tools {
namespace {

using Clock = std::chrono::steady_clock;

class SimulatedProvider final : public intel::IntelProvider {
 public:
  explicit SimulatedProvider(std::chrono::milliseconds latency) : latency_(latency) {}
  std::string_view name() const override { return "simulated"; }
  size_t max_batch() const override { return 100; }
  intel::LookupResult lookup(core::HashType, const std::vector<std::string>& hashes) override {
    ++requests_;
    hashes_ += hashes.size();
    std::this_thread::sleep_for(latency_);
    intel::LookupResult result;
    for (const auto& hash : hashes) {
      intel::Verdict verdict;
      verdict.hash = hash;
      verdict.classification = intel::Classification::kMalicious;
      verdict.threat_name = "Win32.Trojan.Simulated";
      verdict.provider = "simulated";
      result.verdicts.emplace(hash, std::move(verdict));
    }
    return result;
  }
  intel::ProviderCounters counters() const override { return {requests_.load(), hashes_.load(), 0, 0}; }

 private:
  std::chrono::milliseconds latency_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> hashes_{0};
};

//! The generated messages, handed out once each.
class MemorySource final : public engine::Source {
 public:
  explicit MemorySource(const std::vector<std::string>& messages) : messages_(messages) {}
  engine::SourceTraits traits() const override { return {.kind = "memory", .keeps_inputs = true, .can_defer = false, .lease = std::nullopt}; }
  std::string describe() const override { return "generated messages"; }
  std::optional<engine::Input> next(const std::stop_token&) override {
    if (next_ == messages_.size()) return std::nullopt;
    engine::Input input;
    input.name = fmt::format("message#{}", next_);
    input.bytes = messages_[next_++];
    return input;
  }
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input&, engine::Outcome,
                                                    const core::Error*) override {
    return engine::Acknowledgement{};
  }

 private:
  const std::vector<std::string>& messages_;
  size_t next_ = 0;
};

class CountingOutput final : public engine::Output<defender::Enrichment> {
 public:
  std::string_view name() const override { return "count"; }
  engine::CommitOrder commit_order() const override { return engine::CommitOrder::kIrrevocable; }
  core::Status write(std::span<const defender::Enrichment> enrichments) override {
    written_ += enrichments.size();
    return {};
  }
  core::Status flush() override { return {}; }
  void discard() override {}
  engine::OutputCounters counters() const override { return {written_, 0}; }

 private:
  uint64_t written_ = 0;
};

}  // namespace

int bench_scan(const BenchScanArgs& args) {
  tools::DefenderGeneratorOptions options;
  options.seed = args.seed;
  options.alert_count = args.alerts;
  options.alerts_per_message = args.alerts_per_message;
  std::vector<std::string> messages;
  uint64_t bytes = 0;
  for (uint64_t m = 0; m < tools::defender_message_count(options); ++m) {
    messages.push_back(tools::generate_defender_message(options, m));
    bytes += messages.back().size();
  }

  // Parse + hash extraction, one thread, best of `repeat` passes.
  defender::StreamingMessageParser parser;
  std::unordered_set<std::string> unique;
  uint64_t evidence = 0;
  uint64_t records = 0;
  uint64_t file_rows = 0;
  double best = 0;
  for (int pass = 0; pass < args.repeat; ++pass) {
    evidence = records = file_rows = 0;
    const auto start = Clock::now();
    for (const auto& message : messages) {
      auto parsed = parser.parse(message);
      if (!parsed) continue;
      evidence += parsed->evidence_records;
      records += parsed->evidence_records + parsed->info_records + parsed->other_records;
      for (const auto& alert : parsed->alerts) file_rows += alert.files.size();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (pass == 0 || seconds < best) best = seconds;
  }
  for (const auto& message : messages) {
    auto parsed = parser.parse(message);
    if (!parsed) continue;
    for (const auto& alert : parsed->alerts) {
      for (const auto& file : alert.files) unique.insert(defender::primary_hash(file));
    }
  }

  // The whole pipeline against the simulated provider, with a fresh lookup history as in production: every
  // unique hash should be asked about once, in full batches.
  const auto history_path = std::filesystem::temp_directory_path() / fmt::format("sb-bench-scan-{}.db", ::getpid());
  auto history = store::SqliteLookupHistory::open(history_path, {});
  if (!history) {
    std::fputs(fmt::format("bench scan: {}\n", history.error().message).c_str(), stderr);
    return core::kExitFailure;
  }
  auto provider = std::make_shared<SimulatedProvider>(std::chrono::milliseconds(args.latency_ms));
  auto resolver_holder = std::make_unique<pipeline::VerdictResolver>(
      std::vector<std::shared_ptr<intel::IntelProvider>>{provider}, history->get(), pipeline::ResolverOptions{});
  auto& resolver = *resolver_holder;
  std::vector<std::unique_ptr<engine::Output<defender::Enrichment>>> outputs;
  outputs.push_back(std::make_unique<CountingOutput>());
  pipeline::ScanPipeline pipeline(std::make_unique<MemorySource>(messages), resolver, std::move(outputs), nullptr, {});
  const auto start = Clock::now();
  const auto status = pipeline.run({});
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!status) {
    std::fputs(fmt::format("bench scan: pipeline failed: {}\n", status.error().message).c_str(), stderr);
    return core::kExitFailure;
  }
  const auto& stats = pipeline.stats();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(history_path.string() + suffix);
  const uint64_t calls = provider->counters().requests;
  const uint64_t target = (unique.size() + 99) / 100;
  // A request carries one hash type, so each type's hashes need their own batches.
  std::map<size_t, uint64_t> by_length;
  for (const auto& hash : unique) ++by_length[hash.size()];
  uint64_t least = 0;
  std::string split;
  for (const auto& [length, count] : by_length) {
    least += (count + 99) / 100;
    split += fmt::format("{}{} {}", split.empty() ? "" : " + ", (count + 99) / 100,
                         core::hash_type_name(*core::hash_type_of(std::string(length, '0'))));
  }
  std::fputs(
      fmt::format("bench scan: {} alerts in {} messages ({:.1f} MB), {} AlertEvidence records, {} file rows, {} unique "
                  "hashes (machine has {} cores)\n"
                  "  parse + hash extraction, 1 thread, best of {}: {:.3f} s  →  {:.0f} AlertEvidence records/s, "
                  "{:.0f} MB/s\n"
                  "  pipeline with a {} ms provider: {} provider calls for {} hashes ({} requests joined one in "
                  "flight); ceil(unique/100) = {}, least possible with one hash type per request = {} ({})\n"
                  "  {} enrichments in {:.2f} s  →  {:.0f} alerts enriched/s\n",
                  args.alerts, messages.size(), static_cast<double>(bytes) / 1e6, evidence, file_rows, unique.size(),
                  std::thread::hardware_concurrency(), args.repeat, best, static_cast<double>(evidence) / best,
                  static_cast<double>(bytes) / 1e6 / best, args.latency_ms, calls, provider->counters().hashes,
                  resolver.counters().coalesced.load(), target, least, split, stats.enrichments.load(), seconds,
                  static_cast<double>(stats.alerts.load()) / seconds)
          .c_str(),
      stdout);
  return core::kExitOk;
}

}  // namespace sb::tools
