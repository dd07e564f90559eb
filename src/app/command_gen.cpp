// `gen reports`: deterministic, realistic Spectra Detect task reports for demos, tests and benchmarks.
#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "core/files.hpp"
#include "core/log.hpp"
#include "detect/report_generator.hpp"
#include "detect/schema_artifacts.hpp"

namespace sb::app {
namespace {

struct GenReportsArgs {
  uint64_t count = 100;
  uint64_t seed = 1;
  std::string out;
  bool flat_view = false;
  std::string children = "0..40";
};

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
    detect::GeneratorOptions options;
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
      if (auto status = core::write_file_atomic(path, detect::generate_report(options, n)); !status) {
        std::fputs(fmt::format("spectra-bridge gen reports: {}\n", status.error().message).c_str(), stderr);
        state.exit_code = kExitFailure;
        return;
      }
    }
    std::fputs(fmt::format("wrote {} report(s) to {}\n", args->count, args->out).c_str(), stderr);
  });

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
