// `gen reports`, `gen defender`, `gen schema`: deterministic, realistic test data for demos, tests and benchmarks.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "core/files.hpp"
#include "core/log.hpp"
#include "detect/schema_artifacts.hpp"
#include "tools/generators/alert_generator.hpp"
#include "tools/generators/report_generator.hpp"

namespace sb::app {
namespace {

struct GenReportsArgs {
  uint64_t count = 100;
  uint64_t seed = 1;
  std::string out;
  bool flat_view = false;
  std::string children = "0..40";
};

struct GenDefenderArgs {
  uint64_t count = 100;
  uint64_t seed = 1;
  std::string out;
  uint64_t alerts_per_message = tools::kDefaultAlertsPerMessage;
  uint64_t messages_per_file = 1;
  uint64_t report_seed = 1;  // the default --seed of `gen reports`, so the two overlap out of the box
};

//! Writes the messages, `messages_per_file` to a file, one per line (a file of one message is plain JSON).
int write_defender_files(const GenDefenderArgs& args) {
  tools::DefenderGeneratorOptions options;
  options.seed = args.seed;
  options.report_seed = args.report_seed;
  options.alert_count = args.count;
  options.alerts_per_message = args.alerts_per_message;
  if (auto status = core::ensure_folder(args.out); !status) {
    std::fputs(fmt::format("spectra-bridge gen defender: {}\n", status.error().message).c_str(), stderr);
    return kExitFailure;
  }
  const uint64_t messages = tools::defender_message_count(options);
  uint64_t files = 0;
  for (uint64_t first = 0; first < messages; first += args.messages_per_file, ++files) {
    std::string content;
    for (uint64_t m = first; m < std::min(messages, first + args.messages_per_file); ++m) {
      content += tools::generate_defender_message(options, m);
    }
    const char* extension = args.messages_per_file == 1 ? "json" : "ndjson";
    const auto path = std::filesystem::path(args.out) / fmt::format("defender-{:06d}.{}", files, extension);
    // Written through a temporary name and a rename, so a watching scan never reads half a message.
    if (auto status = core::write_file_atomic(path, content); !status) {
      std::fputs(fmt::format("spectra-bridge gen defender: {}\n", status.error().message).c_str(), stderr);
      return kExitFailure;
    }
  }
  std::fputs(
      fmt::format("wrote {} alert(s) in {} message(s), {} file(s), to {}\n", args.count, messages, files, args.out)
          .c_str(),
      stderr);
  return kExitOk;
}

bool parse_range(const std::string& text, int& low, int& high) {
  const auto dots = text.find("..");
  if (dots == std::string::npos) return false;
  const auto a = std::from_chars(text.data(), text.data() + dots, low);
  const auto b = std::from_chars(text.data() + dots + 2, text.data() + text.size(), high);
  return a.ec == std::errc() && a.ptr == text.data() + dots && b.ec == std::errc() &&
         b.ptr == text.data() + text.size() && low >= 0 && low <= high;
}

}  // namespace

void add_gen_command(CLI::App& app, CommandState& state) {
  auto* gen = app.add_subcommand("gen", "Generate realistic test data");
  gen->require_subcommand(1);
  auto args = std::make_shared<GenReportsArgs>();
  auto* reports = gen->add_subcommand("reports", "Write Spectra Detect task reports (same seed, same bytes)");
  reports->add_option("--count", args->count, "Number of reports")->required();
  reports->add_option("--seed", args->seed, "Random seed");
  reports->add_option("--out", args->out, "Output folder (created if missing)")->required();
  reports->add_flag("--flat-view", args->flat_view, "Write the flat view instead of the nested one");
  reports->add_option("--children", args->children, "Extracted files per report, MIN..MAX (default 0..40)");
  reports->callback([&state, args] {
    tools::ReportGeneratorOptions options;
    options.seed = args->seed;
    options.flat_view = args->flat_view;
    if (!parse_range(args->children, options.children_min, options.children_max)) {
      std::fputs(
          fmt::format("spectra-bridge gen reports: --children must look like 0..40, got \"{}\"\n", args->children)
              .c_str(),
          stderr);
      state.exit_code = kExitUsage;
      return;
    }
    if (auto status = core::ensure_folder(args->out); !status) {
      std::fputs(fmt::format("spectra-bridge gen reports: {}\n", status.error().message).c_str(), stderr);
      state.exit_code = kExitFailure;
      return;
    }
    for (uint64_t n = 0; n < args->count; ++n) {
      const auto path = std::filesystem::path(args->out) / fmt::format("report-{}-{:06d}.json", args->seed, n);
      // Written through a temporary name and a rename, so a watching ingest never reads half a report.
      if (auto status = core::write_file_atomic(path, tools::generate_report(options, n)); !status) {
        std::fputs(fmt::format("spectra-bridge gen reports: {}\n", status.error().message).c_str(), stderr);
        state.exit_code = kExitFailure;
        return;
      }
    }
    std::fputs(fmt::format("wrote {} report(s) to {}\n", args->count, args->out).c_str(), stderr);
  });

  auto defender_args = std::make_shared<GenDefenderArgs>();
  auto* defender =
      gen->add_subcommand("defender", "Write Defender XDR Streaming API messages (AlertInfo + AlertEvidence)");
  defender->add_option("--count", defender_args->count, "Number of alerts")->required();
  defender->add_option("--seed", defender_args->seed, "Random seed (tenant, devices, alerts)");
  defender->add_option("--out", defender_args->out, "Output folder (created if missing)")->required();
  defender
      ->add_option("--alerts-per-message", defender_args->alerts_per_message,
                   fmt::format("Alerts in one Event Hubs message (default {})", tools::kDefaultAlertsPerMessage))
      ->check(CLI::PositiveNumber);
  defender
      ->add_option("--messages-per-file", defender_args->messages_per_file,
                   "Messages per file, one per line (default 1: each file is one message)")
      ->check(CLI::PositiveNumber);
  defender->add_option("--report-seed", defender_args->report_seed,
                       "--seed of the `gen reports` run whose files the alerts name (default 1)");
  defender->callback([&state, defender_args] { state.exit_code = write_defender_files(*defender_args); });

  auto format = std::make_shared<std::string>("table");
  auto* schema = gen->add_subcommand("schema", "Print the SpectraDetectLogs_CL schema in a deployable form");
  schema->add_option("--format", *format, "table: Tables API body; dcr: DCR stream declaration; markdown: docs")
      ->check(CLI::IsMember({"table", "dcr", "markdown"}));
  schema->callback([format] {
    const std::string text = *format == "table" ? detect::table_definition_json()
                             : *format == "dcr" ? detect::dcr_stream_declaration_json()
                                                : detect::schema_markdown();
    std::fputs(text.c_str(), stdout);
  });
}

}  // namespace sb::app
