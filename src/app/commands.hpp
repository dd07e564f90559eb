// Every CLI command as a plain function of its arguments; cli.cpp (the only file that sees CLI11) parses the command
// line into these structs and calls them. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/app_context.hpp"
#include "tools/generators/alert_generator.hpp"

namespace sb::app {

struct PipelineArgs {
  bool once = false;
  std::string source;              // overrides <pipeline>.source when set
  std::vector<std::string> files;  // a files source when non-empty
};

struct LookupArgs {
  std::vector<std::string> hashes;
  bool json = false;
};

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

int run_main_job(const GlobalOptions& globals, bool once);                       // run
int run_ingest_command(const GlobalOptions& globals, const PipelineArgs& args);  // ingest
int run_scan_command(const GlobalOptions& globals, const PipelineArgs& args);    // scan
int run_lookup_command(const GlobalOptions& globals, const LookupArgs& args);    // lookup
int run_flatten_command(const GlobalOptions& globals, const std::vector<std::string>& inputs);
int run_gen_reports(const GenReportsArgs& args);
int run_gen_defender(const GenDefenderArgs& args);
int run_gen_schema(const std::string& format);
int run_config_example();
int run_config_check(GlobalOptions globals, const std::string& file);
int run_version();
int run_doctor(const GlobalOptions& globals);

}  // namespace sb::app
