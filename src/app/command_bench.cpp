// `bench ingest`, `bench logs`, `bench scan`: the command line of the benchmarks in tools/bench.
#include "app/commands.hpp"
#include "tools/bench/bench_ingest.hpp"
#include "tools/bench/bench_logs.hpp"
#include "tools/bench/bench_scan.hpp"

namespace sb::app {

void add_bench_command(CLI::App& app, CommandState& state) {
  auto* bench = app.add_subcommand("bench", "Benchmarks (figures for README.md; not tests)");
  bench->require_subcommand(1);
  auto args = std::make_shared<tools::BenchIngestArgs>();
  auto* ingest = bench->add_subcommand("ingest", "Parse + flatten + NDJSON throughput of the reports in a folder");
  ingest->add_option("--input", args->input, "Folder of report files (e.g. made by gen reports)")->required();
  ingest->add_option("--repeat", args->repeat, "Passes over the input; the best is reported")
      ->check(CLI::Range(1, 1000));
  ingest->callback([&state, args] { state.exit_code = tools::bench_ingest(*args); });

  auto logs_args = std::make_shared<tools::BenchLogsArgs>();
  auto* logs = bench->add_subcommand(
      "logs", "Reports through parse, flatten, batching and gzip into Logs Ingestion requests to a loopback server");
  logs->add_option("--input", logs_args->input, "Folder of report files (e.g. made by gen reports)")->required();
  logs->add_option("--repeat", logs_args->repeat, "Passes over the input; the one with the least CPU is reported")
      ->check(CLI::Range(1, 1000));
  logs->add_option("--concurrency", logs_args->concurrency, "Requests in flight")->check(CLI::Range(1, 32));
  logs->add_flag("!--no-gzip", logs_args->gzip, "Send the JSON uncompressed");
  logs->callback([&state, logs_args] { state.exit_code = tools::bench_logs(*logs_args); });

  auto scan_args = std::make_shared<tools::BenchScanArgs>();
  auto* scan = bench->add_subcommand(
      "scan", "Defender message parsing throughput, and provider calls per unique hash through the scan pipeline");
  scan->add_option("--alerts", scan_args->alerts, "Alerts to generate")->check(CLI::Range(1, 10'000'000));
  scan->add_option("--alerts-per-message", scan_args->alerts_per_message, "Alerts per Event Hubs message")
      ->check(CLI::Range(1, 100'000));
  scan->add_option("--seed", scan_args->seed, "Generator seed");
  scan->add_option("--repeat", scan_args->repeat, "Parse passes; the best is reported")->check(CLI::Range(1, 1000));
  scan->add_option("--latency-ms", scan_args->latency_ms, "Simulated provider latency")->check(CLI::Range(0, 10'000));
  scan->callback([&state, scan_args] { state.exit_code = tools::bench_scan(*scan_args); });
}

}  // namespace sb::app
