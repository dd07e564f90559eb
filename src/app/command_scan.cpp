// `scan` (the Defender scan pipeline alone) and `lookup` (verdicts for hashes from the configured providers).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "app/pipeline_runs.hpp"
#include "app/progress.hpp"
#include "app/summaries.hpp"
#include "core/hash_type.hpp"
#include "core/log.hpp"
#include "core/stop.hpp"
#include "core/text.hpp"
#include "intel/verdict_json.hpp"

namespace sb::app {

int run_scan(AppContext& app, const PipelineArgs& args, bool print_summary) {
  auto settings = read_scan_settings(app.config);
  core::Result<ScanSetup> setup =
      settings ? build_scan(app, *settings, command_choices(args)) : core::Result<ScanSetup>(settings.error());
  if (!setup) {
    core::log_error("cannot start the scan pipeline", {{"reason", setup.error().message}});
    return kExitFailure;
  }
  std::string providers;
  for (const auto& provider : setup->verdicts.providers) {
    providers += (providers.empty() ? "" : ",") + std::string(provider->name());
  }
  core::log_info(
      "scan started",
      {{"source", setup->source_description}, {"providers", providers}, {"once", args.once ? "true" : "false"}});
  const auto start = std::chrono::steady_clock::now();
  core::Status status;
  {
    ProgressReporter progress(scan_progress(setup->pipeline->stats(), setup->pipeline->source()));
    status = setup->pipeline->run(app.stop);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& stats = setup->pipeline->stats();
  core::log_info("scan stopped", {{"messages", stats.inputs_done.load()},
                                  {"alerts", stats.alerts.load()},
                                  {"enrichments", stats.enrichments.load()},
                                  {"quarantined", stats.inputs_failed.load()}});
  if (print_summary) {
    const auto summary = render_scan_summary(*setup, seconds);
    std::fputs(summary.c_str(), stdout);
    std::fflush(stdout);
  }
  if (!status) {
    core::log_error("scan failed; unacknowledged inputs will be read again", {{"reason", status.error().message}});
    return kExitFailure;
  }
  return kExitOk;
}

int run_scan_command(const GlobalOptions& globals, const PipelineArgs& args) {
  return with_app(globals, [&](AppContext& app, core::SignalStop&) { return run_scan(app, args, true); });
}

namespace {

std::string describe(const intel::Verdict& v) {
  std::string line = std::string(intel::classification_name(v.classification));
  if (!v.threat_name.empty()) line += fmt::format("  {}", v.threat_name);
  if (v.threat_level) line += fmt::format("  threat level {}", *v.threat_level);
  if (v.risk_score) line += fmt::format("  risk score {}", *v.risk_score);
  if (v.trust_factor) line += fmt::format("  trust factor {}", *v.trust_factor);
  if (v.detections && v.scanners) line += fmt::format("  {} of {} scanners", *v.detections, *v.scanners);
  return line;
}

//! Asks every provider directly (not the history), so each credential and URL is exercised.
int run_lookup(AppContext& app, const LookupArgs& args) {
  std::map<core::HashType, std::vector<std::string>> by_type;
  for (const auto& raw : args.hashes) {
    const std::string hash = core::ascii_lower(raw);
    const auto type = core::hash_type_of(hash);
    if (!type || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      std::fputs(fmt::format("spectra-bridge lookup: \"{}\" is not an md5, sha1 or sha256 hash\n", raw).c_str(),
                 stderr);
      return kExitUsage;
    }
    by_type[*type].push_back(hash);
  }
  auto settings = read_scan_settings(app.config);
  core::Result<VerdictSetup> setup =
      settings ? build_verdicts(app, *settings) : core::Result<VerdictSetup>(settings.error());
  if (!setup) {
    core::log_error("cannot set up the verdict providers", {{"reason", setup.error().message}});
    return kExitFailure;
  }
  int exit_code = kExitOk;
  std::map<std::string, intel::Verdict> winners;
  for (const auto& provider : setup->providers) {
    for (const auto& [type, hashes] : by_type) {
      for (size_t at = 0; at < hashes.size(); at += provider->max_batch()) {
        const std::vector<std::string> chunk(
            hashes.begin() + static_cast<std::ptrdiff_t>(at),
            hashes.begin() + static_cast<std::ptrdiff_t>(std::min(hashes.size(), at + provider->max_batch())));
        const auto result = provider->lookup(type, chunk);
        if (!result.ok()) {
          std::fputs(fmt::format("{}: FAILED: {}\n", provider->name(), result.failure->message).c_str(), stdout);
          exit_code = kExitFailure;
          continue;
        }
        for (const auto& hash : chunk) {
          const auto found = result.verdicts.find(hash);
          intel::Verdict verdict = found != result.verdicts.end() ? found->second : intel::Verdict{};
          verdict.hash = hash;
          if (verdict.provider.empty()) verdict.provider = std::string(provider->name());
          if (!args.json)
            std::fputs(fmt::format("{}  {:<20}  {}\n", hash, provider->name(), describe(verdict)).c_str(), stdout);
          auto& best = winners[hash];
          if (best.hash.empty() || (best.classification == intel::Classification::kUnknown &&
                                    verdict.classification != intel::Classification::kUnknown)) {
            best = verdict;
          }
        }
      }
    }
  }
  if (args.json) {
    for (const auto& [hash, verdict] : winners) std::fputs((intel::verdict_json(verdict) + "\n").c_str(), stdout);
  }
  std::fflush(stdout);
  return exit_code;
}

}  // namespace

int run_lookup_command(const GlobalOptions& globals, const LookupArgs& args) {
  return with_app(globals, [&](AppContext& app, core::SignalStop&) { return run_lookup(app, args); });
}

}  // namespace sb::app
