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

//! Writes the messages, `messages_per_file` to a file, one per line (a file of one message is plain JSON).
int run_gen_defender(const GenDefenderArgs& args) {
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

namespace {

bool parse_range(const std::string& text, int& low, int& high) {
  const auto dots = text.find("..");
  if (dots == std::string::npos) return false;
  const auto a = std::from_chars(text.data(), text.data() + dots, low);
  const auto b = std::from_chars(text.data() + dots + 2, text.data() + text.size(), high);
  return a.ec == std::errc() && a.ptr == text.data() + dots && b.ec == std::errc() &&
         b.ptr == text.data() + text.size() && low >= 0 && low <= high;
}

}  // namespace

int run_gen_reports(const GenReportsArgs& args) {
  tools::ReportGeneratorOptions options;
  options.seed = args.seed;
  options.flat_view = args.flat_view;
  if (!parse_range(args.children, options.children_min, options.children_max)) {
    std::fputs(
        fmt::format("spectra-bridge gen reports: --children must look like 0..40, got \"{}\"\n", args.children).c_str(),
        stderr);
    return kExitUsage;
  }
  if (auto status = core::ensure_folder(args.out); !status) {
    std::fputs(fmt::format("spectra-bridge gen reports: {}\n", status.error().message).c_str(), stderr);
    return kExitFailure;
  }
  for (uint64_t n = 0; n < args.count; ++n) {
    const auto path = std::filesystem::path(args.out) / fmt::format("report-{}-{:06d}.json", args.seed, n);
    // Written through a temporary name and a rename, so a watching ingest never reads half a report.
    if (auto status = core::write_file_atomic(path, tools::generate_report(options, n)); !status) {
      std::fputs(fmt::format("spectra-bridge gen reports: {}\n", status.error().message).c_str(), stderr);
      return kExitFailure;
    }
  }
  std::fputs(fmt::format("wrote {} report(s) to {}\n", args.count, args.out).c_str(), stderr);
  return kExitOk;
}

int run_gen_schema(const std::string& format) {
  const std::string text = format == "table" ? detect::table_definition_json()
                           : format == "dcr" ? detect::dcr_stream_declaration_json()
                                             : detect::schema_markdown();
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

}  // namespace sb::app
