// Builds the scanner (providers, lookup history, resolver, writers, source) that the configuration asks for.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "azure/graph_client.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "intel/intel_provider.hpp"
#include "intel/lookup_history.hpp"
#include "pipeline/scan_pipeline.hpp"
#include "pipeline/verdict_resolver.hpp"

namespace sb::app {

//! The verdict side alone (also what `lookup` uses): providers in priority order and the lookup history.
struct VerdictSetup {
  std::vector<std::shared_ptr<intel::IntelProvider>> providers;
  std::unique_ptr<intel::LookupHistory> history;
  std::unique_ptr<pipeline::VerdictResolver> resolver;  // declared last: stopped before the parts it uses
};

core::Result<VerdictSetup> build_verdicts(const core::Config& config);

//! The Graph client [scan.graph] and [azure] describe (also what `doctor` checks).
core::Result<std::unique_ptr<azure::GraphClient>> build_graph_client(const core::Config& config);

//! Command-line choices that take precedence over the configuration.
struct ScanOverrides {
  bool once = false;
  std::optional<std::string> source;         // "folder" | "stdin" | "files"
  std::vector<std::filesystem::path> files;  // non-empty: a file-list source
};

struct ScanSetup {
  VerdictSetup verdicts;
  std::unique_ptr<engine::DeadLetterRecorder> folder_dead_letters;  // when no store writer keeps them
  std::unique_ptr<pipeline::ScanPipeline> pipeline;                 // last: uses everything above
  std::string source_description;
  std::optional<std::filesystem::path> store;  // when the store writer is on
};

core::Result<ScanSetup> build_scan(const core::Config& config, const ScanOverrides& overrides);

}  // namespace sb::app
