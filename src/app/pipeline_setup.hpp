// Builds what the configuration asks for, from the registries: a pipeline's source, outputs and dead letters, and the
// scanner's providers, lookup history and resolver. No component is named here.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app_context.hpp"
#include "app/settings.hpp"
#include "core/result.hpp"
#include "engine/dead_letters.hpp"
#include "intel/intel_provider.hpp"
#include "intel/lookup_history.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "pipeline/scan_pipeline.hpp"
#include "pipeline/verdict_resolver.hpp"

namespace sb::app {

//! Command-line choices that take precedence over the configuration.
struct CommandChoices {
  bool once = false;
  std::optional<std::string> source;         // a registered source's name
  std::vector<std::filesystem::path> files;  // non-empty: the files source, reading these
};

struct IngestSetup {
  std::unique_ptr<engine::DeadLetterRecorder> dead_letters;  // before the pipeline, whose outputs use it
  std::unique_ptr<pipeline::IngestPipeline> pipeline;
  std::string source_description;  // for the start-up log line
};

core::Result<IngestSetup> build_ingest(AppContext& app, const IngestSettings& settings, const CommandChoices& choices);

//! The verdict side alone (also what `lookup` uses): providers in priority order and the lookup history.
struct VerdictSetup {
  std::vector<std::shared_ptr<intel::IntelProvider>> providers;
  std::unique_ptr<intel::LookupHistory> history;
  std::unique_ptr<pipeline::VerdictResolver> resolver;  // last: stopped before the parts it uses
};

core::Result<VerdictSetup> build_verdicts(AppContext& app, const ScanSettings& settings);

struct ScanSetup {
  VerdictSetup verdicts;
  std::unique_ptr<engine::DeadLetterRecorder> dead_letters;
  std::unique_ptr<pipeline::ScanPipeline> pipeline;  // last: uses everything above
  std::string source_description;
};

core::Result<ScanSetup> build_scan(AppContext& app, const ScanSettings& settings, const CommandChoices& choices);

}  // namespace sb::app
