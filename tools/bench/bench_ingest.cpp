// `bench ingest`: parse + flatten + NDJSON serialisation of report files on one core, and peak memory.
#include "tools/bench/bench_ingest.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/exit_codes.hpp"
#include "core/files.hpp"
#include "detect/report_parser.hpp"
#include "detect/row_json.hpp"
#include "tools/bench/bench_logs.hpp"

namespace sb::tools {
namespace {

constexpr size_t kBenchMaxBytes = 1024ULL * 1024 * 1024;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
}

}  // namespace

int bench_ingest(const BenchIngestArgs& args) {
  const auto files = bench_report_files(args.input);
  if (files.empty()) {
    std::fputs(fmt::format("bench ingest: no report files in {}\n", args.input).c_str(), stderr);
    return core::kExitUsage;
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
  return core::kExitOk;
}

}  // namespace sb::tools
