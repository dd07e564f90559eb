// The keys that belong to no component: the global ones, [store], and each pipeline's own ([ingest], [scan],
// [scan.history]); and the whole key list, assembled from them and every registered component's keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/result.hpp"
#include "engine/pipeline_traits.hpp"
#include "intel/lookup_history.hpp"

namespace sb::app {

struct GlobalSettings {
  std::filesystem::path data_dir;
  std::string log_level;
  std::string log_format;
  std::filesystem::path store_path;  // store.path, or <data_dir>/store.db when empty
};

struct IngestSettings {
  bool enabled = true;
  std::string source;
  std::vector<std::string> sinks;
  size_t max_report_bytes = 0;
  size_t batch_rows = 0;
  std::chrono::milliseconds flush_interval{0};
};

struct ScanSettings {
  bool enabled = true;
  std::string source;
  std::vector<std::string> providers;
  std::vector<std::string> writers;
  size_t max_message_bytes = 0;
  std::chrono::milliseconds batch_wait{0};
  size_t workers_per_provider = 0;
  size_t comment_max_chars = 0;
  intel::HistoryTtl history;
};

//! The two pipelines as the components see them.
inline constexpr engine::PipelineTraits kIngestTraits{
    .name = "ingest", .noun = "report", .inbox = "detect", .output = "sink", .inputs_can_be_pending = true};
inline constexpr engine::PipelineTraits kScanTraits{
    .name = "scan", .noun = "message", .inbox = "defender", .output = "writer", .inputs_can_be_pending = false};

//! Every key: what Config::load accepts, what `config example` prints. Tables come together, in this order: the
//! globals, [ingest] and its components, [scan], [scan.history] and its components, [azure], [store].
std::vector<core::KeySpec> all_config_keys();

core::Result<GlobalSettings> read_global_settings(const core::Config& config);
core::Result<IngestSettings> read_ingest_settings(const core::Config& config);
core::Result<ScanSettings> read_scan_settings(const core::Config& config);

}  // namespace sb::app
