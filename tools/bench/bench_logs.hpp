// `bench logs`: report JSON through parse → flatten → batch → gzip into Logs Ingestion requests, sent to a
// loopback server (a child process) that answers 204, so the figures are this process's CPU alone.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sb::tools {

struct BenchLogsArgs {
  std::string input;
  int repeat = 3;
  int concurrency = 2;
  bool gzip = true;
};

int bench_logs(const BenchLogsArgs& args);

//! The report files of a bench input folder (what the folder source would read), sorted; empty when none.
std::vector<std::filesystem::path> bench_report_files(const std::string& folder);

}  // namespace sb::tools
