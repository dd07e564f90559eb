// Builds the ingest pipeline (source + sinks) that the configuration asks for.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "azure/logs_ingestion_client.hpp"
#include "core/config.hpp"
#include "core/result.hpp"
#include "pipeline/ingest_pipeline.hpp"

namespace sb::app {

//! Command-line choices that take precedence over the configuration.
struct IngestOverrides {
  bool once = false;
  std::optional<std::string> source;         // "folder" | "stdin" | "files"
  std::vector<std::filesystem::path> files;  // non-empty: a file-list source
};

struct IngestSetup {
  std::unique_ptr<pipeline::IngestPipeline> pipeline;
  std::string source_description;              // for the start-up log line
  std::optional<std::filesystem::path> store;  // when the store sink is on
  //! Where quarantined inputs are recorded when there is no store (owned here, used by the pipeline).
  std::unique_ptr<engine::DeadLetterRecorder> folder_dead_letters;
};

//! The Logs Ingestion client [ingest.logs_ingestion] and [azure] describe (also what `doctor` checks).
core::Result<std::unique_ptr<azure::LogsIngestionClient>> build_logs_ingestion_client(const core::Config& config);

core::Result<IngestSetup> build_ingest(const core::Config& config, const IngestOverrides& overrides);

}  // namespace sb::app
