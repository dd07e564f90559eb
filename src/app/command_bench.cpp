// `bench ingest`: throughput of parse + flatten + NDJSON serialisation on one core, and peak memory; `bench logs`,
// `bench scan`.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "app/bench_logs.hpp"
#include "app/bench_scan.hpp"
#include "app/commands.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "detect/report_parser.hpp"
#include "detect/row_json.hpp"

namespace sb::app {
namespace {

constexpr size_t kBenchMaxBytes = 1024ULL * 1024 * 1024;

struct BenchArgs {
  std::string input;
  int repeat = 3;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
}

int bench_ingest(const BenchArgs& args) {
  const auto files = bench_report_files(args.input);
  if (files.empty()) {
    std::fputs(fmt::format("bench ingest: no report files in {}\n", args.input).c_str(), stderr);
    return kExitUsage;
  }

  detect::ReportParser parser;
  std::string ndjson;
  const std::string time_generated = core::now_iso8601_utc();
  double best_seconds = 0;
  uint64_t bytes = 0;
  uint64_t rows = 0;
  double rss_after_first = 0;
  // Each pass streams the files one at a time (read, parse, flatten, serialise, discard), so memory is
  // bounded by the largest report, whatever the count. Only the CPU part is timed; reads come from the page cache.
  for (int pass = 0; pass < args.repeat; ++pass) {
    std::chrono::steady_clock::duration busy{};
    bytes = 0;
    rows = 0;
    for (const auto& file : files) {
      auto content = core::read_file_bounded(file, kBenchMaxBytes, detect::kParserPadding);
      if (!content) continue;
      const auto start = std::chrono::steady_clock::now();
      auto parsed = parser.parse(*content, time_generated);
      if (parsed) {
        for (const auto& row : parsed->rows) {
          detect::append_row_json(ndjson, row);
          ndjson.push_back('\n');
        }
        rows += parsed->rows.size();
      }
      ndjson.clear();
      busy += std::chrono::steady_clock::now() - start;
      bytes += content->size();
    }
    const double seconds = std::chrono::duration<double>(busy).count();
    if (pass == 0 || seconds < best_seconds) best_seconds = seconds;
    if (pass == 0) rss_after_first = peak_rss_mib();
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  std::fputs(fmt::format("bench ingest: {} reports, {:.1f} MB, {} rows; best of {} passes on 1 thread "
                         "(machine has {} cores)\n"
                         "  parse + flatten + NDJSON: {:.3f} s  →  {:.0f} MB/s, {:.0f} rows/s\n"
                         "  peak RSS: {:.1f} MiB after 1 pass, {:.1f} MiB after {} passes\n",
                         files.size(), mb, rows, args.repeat, std::thread::hardware_concurrency(), best_seconds,
                         mb / best_seconds, static_cast<double>(rows) / best_seconds, rss_after_first, peak_rss_mib(),
                         args.repeat)
                 .c_str(),
             stdout);
  return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, CommandState& state) {
  auto* bench = app.add_subcommand("bench", "Benchmarks (figures for README.md; not tests)");
  bench->require_subcommand(1);
  auto args = std::make_shared<BenchArgs>();
  auto* ingest = bench->add_subcommand("ingest", "Parse + flatten + NDJSON throughput of the reports in a folder");
  ingest->add_option("--input", args->input, "Folder of report files (e.g. made by gen reports)")->required();
  ingest->add_option("--repeat", args->repeat, "Passes over the input; the best is reported")
      ->check(CLI::Range(1, 1000));
  ingest->callback([&state, args] { state.exit_code = bench_ingest(*args); });

  auto logs_args = std::make_shared<BenchLogsArgs>();
  auto* logs = bench->add_subcommand(
      "logs", "Reports through parse, flatten, batching and gzip into Logs Ingestion requests to a loopback server");
  logs->add_option("--input", logs_args->input, "Folder of report files (e.g. made by gen reports)")->required();
  logs->add_option("--repeat", logs_args->repeat, "Passes over the input; the one with the least CPU is reported")
      ->check(CLI::Range(1, 1000));
  logs->add_option("--concurrency", logs_args->concurrency, "Requests in flight")->check(CLI::Range(1, 32));
  logs->add_flag("!--no-gzip", logs_args->gzip, "Send the JSON uncompressed");
  logs->callback([&state, logs_args] { state.exit_code = bench_logs(*logs_args); });

  auto scan_args = std::make_shared<BenchScanArgs>();
  auto* scan = bench->add_subcommand(
      "scan", "Defender message parsing throughput, and provider calls per unique hash through the scan pipeline");
  scan->add_option("--alerts", scan_args->alerts, "Alerts to generate")->check(CLI::Range(1, 10'000'000));
  scan->add_option("--alerts-per-message", scan_args->alerts_per_message, "Alerts per Event Hubs message")
      ->check(CLI::Range(1, 100'000));
  scan->add_option("--seed", scan_args->seed, "Generator seed");
  scan->add_option("--repeat", scan_args->repeat, "Parse passes; the best is reported")->check(CLI::Range(1, 1000));
  scan->add_option("--latency-ms", scan_args->latency_ms, "Simulated provider latency")->check(CLI::Range(0, 10'000));
  scan->callback([&state, scan_args] { state.exit_code = bench_scan(*scan_args); });
}

}  // namespace sb::app
