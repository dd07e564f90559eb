// The command line: global options and every command, parsed with CLI11 (only this file includes it, so the command
// files compile fast) into the argument structs of commands.hpp.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "sources/source_entry.hpp"
#include "tools/bench/bench_ingest.hpp"
#include "tools/bench/bench_kafka.hpp"
#include "tools/bench/bench_logs.hpp"
#include "tools/bench/bench_scan.hpp"

namespace sb::app {
namespace {

//! Adds a pipeline command's --once, --source and FILE... options.
void add_pipeline_options(CLI::App& command, PipelineArgs& args, std::string_view pipeline) {
  command.add_flag("--once", args.once, "Drain the inbox (or read the input to its end) and exit");
  command.add_option("--source", args.source, "Override " + std::string(pipeline) + ".source")
      ->check(CLI::IsMember(sources::source_names(pipeline)));
}

void add_gen_commands(CLI::App& app, int& exit_code) {
  auto* gen = app.add_subcommand("gen", "Generate realistic test data");
  gen->require_subcommand(1);
  auto reports_args = std::make_shared<GenReportsArgs>();
  auto* reports = gen->add_subcommand("reports", "Write Spectra Detect task reports (same seed, same bytes)");
  reports->add_option("--count", reports_args->count, "Number of reports")->required();
  reports->add_option("--seed", reports_args->seed, "Random seed");
  reports->add_option("--out", reports_args->out, "Output folder (created if missing)")->required();
  reports->add_flag("--flat-view", reports_args->flat_view, "Write the flat view instead of the nested one");
  reports->add_option("--children", reports_args->children, "Extracted files per report, MIN..MAX (default 0..40)");
  reports->callback([&exit_code, reports_args] { exit_code = run_gen_reports(*reports_args); });

  auto defender_args = std::make_shared<GenDefenderArgs>();
  auto* defender =
      gen->add_subcommand("defender", "Write Defender XDR Streaming API messages (AlertInfo + AlertEvidence)");
  defender->add_option("--count", defender_args->count, "Number of alerts")->required();
  defender->add_option("--seed", defender_args->seed, "Random seed (tenant, devices, alerts)");
  defender->add_option("--out", defender_args->out, "Output folder (created if missing)")->required();
  defender
      ->add_option("--alerts-per-message", defender_args->alerts_per_message,
                   "Alerts in one Event Hubs message (default " + std::to_string(tools::kDefaultAlertsPerMessage) + ")")
      ->check(CLI::PositiveNumber);
  defender
      ->add_option("--messages-per-file", defender_args->messages_per_file,
                   "Messages per file, one per line (default 1: each file is one message)")
      ->check(CLI::PositiveNumber);
  defender->add_option("--report-seed", defender_args->report_seed,
                       "--seed of the `gen reports` run whose files the alerts name (default 1)");
  defender->callback([&exit_code, defender_args] { exit_code = run_gen_defender(*defender_args); });

  auto format = std::make_shared<std::string>("table");
  auto* schema = gen->add_subcommand("schema", "Print the SpectraDetectLogs_CL schema in a deployable form");
  schema->add_option("--format", *format, "table: Tables API body; dcr: DCR stream declaration; markdown: docs")
      ->check(CLI::IsMember({"table", "dcr", "markdown"}));
  schema->callback([&exit_code, format] { exit_code = run_gen_schema(*format); });
}

void add_bench_commands(CLI::App& app, int& exit_code) {
  auto* bench = app.add_subcommand("bench", "Benchmarks (figures for README.md; not tests)");
  bench->require_subcommand(1);
  auto args = std::make_shared<tools::BenchIngestArgs>();
  auto* ingest = bench->add_subcommand("ingest", "Parse + flatten + NDJSON throughput of the reports in a folder");
  ingest->add_option("--input", args->input, "Folder of report files (e.g. made by gen reports)")->required();
  ingest->add_option("--repeat", args->repeat, "Passes over the input; the best is reported")
      ->check(CLI::Range(1, 1000));
  ingest->callback([&exit_code, args] { exit_code = tools::bench_ingest(*args); });

  auto logs_args = std::make_shared<tools::BenchLogsArgs>();
  auto* logs = bench->add_subcommand(
      "logs", "Reports through parse, flatten, batching and gzip into Logs Ingestion requests to a loopback server");
  logs->add_option("--input", logs_args->input, "Folder of report files (e.g. made by gen reports)")->required();
  logs->add_option("--repeat", logs_args->repeat, "Passes over the input; the one with the least CPU is reported")
      ->check(CLI::Range(1, 1000));
  logs->add_option("--concurrency", logs_args->concurrency, "Requests in flight")->check(CLI::Range(1, 32));
  logs->add_flag("!--no-gzip", logs_args->gzip, "Send the JSON uncompressed");
  logs->callback([&exit_code, logs_args] { exit_code = tools::bench_logs(*logs_args); });

  auto scan_args = std::make_shared<tools::BenchScanArgs>();
  auto* scan = bench->add_subcommand(
      "scan", "Defender message parsing throughput, and provider calls per unique hash through the scan pipeline");
  scan->add_option("--alerts", scan_args->alerts, "Alerts to generate")->check(CLI::Range(1, 10'000'000));
  scan->add_option("--alerts-per-message", scan_args->alerts_per_message, "Alerts per Event Hubs message")
      ->check(CLI::Range(1, 100'000));
  scan->add_option("--seed", scan_args->seed, "Generator seed");
  scan->add_option("--repeat", scan_args->repeat, "Parse passes; the best is reported")->check(CLI::Range(1, 1000));
  scan->add_option("--latency-ms", scan_args->latency_ms, "Simulated provider latency")->check(CLI::Range(0, 10'000));
  scan->callback([&exit_code, scan_args] { exit_code = tools::bench_scan(*scan_args); });

  auto kafka_args = std::make_shared<tools::BenchKafkaArgs>();
  auto* kafka = bench->add_subcommand(
      "kafka",
      "Defender messages from an in-process Kafka mock broker through the Event Hubs source and the scan "
      "pipeline (local provider): records/s and produce-to-enrichment latency");
  kafka->add_option("--alerts", kafka_args->alerts, "Alerts in the backlog")->check(CLI::Range(1, 10'000'000));
  kafka->add_option("--alerts-per-message", kafka_args->alerts_per_message, "Alerts per message")
      ->check(CLI::Range(1, 100'000));
  kafka->add_option("--partitions", kafka_args->partitions, "Partitions of the topic")->check(CLI::Range(1, 64));
  kafka->add_option("--seed", kafka_args->seed, "Generator seed");
  kafka->add_option("--paced-messages", kafka_args->paced_messages, "Messages of the latency phase")
      ->check(CLI::Range(1, 1'000'000));
  kafka->add_option("--rate", kafka_args->rate, "Messages per second in the latency phase")
      ->check(CLI::Range(1, 100'000));
  kafka->add_flag("!--all-cores", kafka_args->one_core, "Do not pin the process to one core");
  kafka->callback([&exit_code, kafka_args] { exit_code = tools::bench_kafka(*kafka_args); });
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "spectra-bridge: ReversingLabs file intelligence for Microsoft security.\n"
      "Ingests Spectra Detect task reports into SpectraDetectLogs_CL rows and enriches Defender alerts with verdicts.",
      "spectra-bridge"};
  app.require_subcommand(1);
  GlobalOptions globals;
  int exit_code = kExitOk;
  app.add_option("--config", globals.config_path,
                 "Configuration file (default: ./spectra-bridge.toml when it exists, else the embedded default)");
  app.add_option("--log-level", globals.log_level, "debug, info, warn or error (overrides log_level)");
  app.add_option("--log-format", globals.log_format, "json or text (overrides log_format)");

  auto run_once = std::make_shared<bool>(false);
  auto* run = app.add_subcommand("run", "The main job: every enabled pipeline (ingest and scan) until stopped");
  run->add_flag("--once", *run_once, "Drain what is waiting, print a summary and exit");
  run->callback([&, run_once] { exit_code = run_main_job(globals, *run_once); });

  auto ingest_args = std::make_shared<PipelineArgs>();
  auto* ingest = app.add_subcommand(
      "ingest", "Run the Spectra Detect pipeline from the configured source to the configured sinks until stopped");
  add_pipeline_options(*ingest, *ingest_args, "ingest");
  ingest->add_option("files", ingest_args->files, "Report files to ingest once (a files source)");
  ingest->callback([&, ingest_args] { exit_code = run_ingest_command(globals, *ingest_args); });

  auto scan_args = std::make_shared<PipelineArgs>();
  auto* scan = app.add_subcommand(
      "scan", "Run the Defender scan pipeline: alert evidence → file hashes → verdicts → one enrichment per alert");
  add_pipeline_options(*scan, *scan_args, "scan");
  scan->add_option("files", scan_args->files, "Message files to scan once (a files source)");
  scan->callback([&, scan_args] { exit_code = run_scan_command(globals, *scan_args); });

  auto lookup_args = std::make_shared<LookupArgs>();
  auto* lookup = app.add_subcommand(
      "lookup", "Ask every configured provider about file hashes (md5, sha1, sha256): a set-up check");
  lookup->add_option("hashes", lookup_args->hashes, "File hashes")->required();
  lookup->add_flag("--json", lookup_args->json, "Print the winning verdict per hash as NDJSON");
  lookup->callback([&, lookup_args] { exit_code = run_lookup_command(globals, *lookup_args); });

  auto inputs = std::make_shared<std::vector<std::string>>();
  auto* flatten =
      app.add_subcommand("flatten", "Print the rows of task reports as NDJSON (FILE|FOLDER... or - for stdin)");
  flatten
      ->add_option("inputs", *inputs,
                   "Report files or folders of them; - reads JSON documents (NDJSON or concatenated) from stdin")
      ->required();
  flatten->callback([&, inputs] { exit_code = run_flatten_command(globals, *inputs); });

  add_gen_commands(app, exit_code);

  auto* config = app.add_subcommand("config", "Show or check the configuration");
  config->require_subcommand(1);
  config->add_subcommand("example", "Print a commented configuration file with every key")->callback([&] {
    exit_code = run_config_example();
  });
  auto check_file = std::make_shared<std::string>();
  auto* check = config->add_subcommand("check",
                                       "Validate a configuration (file + SPECTRA_BRIDGE__* variables) and print the "
                                       "effective one (secrets appear only as their references)");
  check->add_option("file", *check_file, "Configuration file (default: --config, ./spectra-bridge.toml, or none)");
  check->callback([&, check_file] { exit_code = run_config_check(globals, *check_file); });

  app.add_subcommand("version", "Print the version")->callback([&] { exit_code = run_version(); });
  add_bench_commands(app, exit_code);
  app.add_subcommand("doctor",
                     "Check every configured endpoint: tokens, the DCR, Graph permissions, ReversingLabs, the store")
      ->callback([&] { exit_code = run_doctor(globals); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return exit_code;
}

}  // namespace sb::app
