// A source's registry entry: its name, its own configuration keys, the factory that builds it from them, and its
// doctor checks. Every source file defines one; sources/registry.cpp lists them.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "azure/identity.hpp"
#include "core/config.hpp"
#include "core/doctor_report.hpp"
#include "core/registry.hpp"
#include "core/result.hpp"
#include "engine/pipeline_traits.hpp"
#include "engine/source.hpp"

namespace sb::sources {

//! What a source is built from.
struct SourceContext {
  const core::Config& config;
  std::string section;  // its keys' section: "<pipeline>.<source>", e.g. "ingest.folder"
  engine::PipelineTraits pipeline;
  std::filesystem::path data_dir;
  size_t max_input_bytes = 0;                // larger inputs are quarantined unread
  bool once = false;                         // drain what is there and end (no watching)
  std::vector<std::filesystem::path> files;  // named on the command line (the files source reads these)
  std::stop_token stop;
  azure::Identity* azure = nullptr;  // the [azure] identity and secret references
};

struct SourceEntry {
  std::string_view name;
  std::string_view summary;  // one line for the docs
  //! The only pipeline it serves ("scan"); empty: every pipeline.
  std::string_view pipeline = {};
  //! Its keys under `section` for a pipeline like `pipeline` (a key only some pipelines need is left out elsewhere).
  std::function<std::vector<core::KeySpec>(const engine::PipelineTraits& pipeline, std::string_view section)> keys;
  std::function<core::Result<std::unique_ptr<engine::Source>>(const SourceContext&)> make;
  //! Checks what it would use (an inbox exists and is writable); may be empty.
  std::function<void(const SourceContext&, core::DoctorReport&)> doctor;
};

//! Every registered source, in registration order (sources/registry.cpp).
const core::Registry<SourceEntry>& source_registry();

//! Whether `entry` can feed the pipeline named `pipeline`.
inline bool serves(const SourceEntry& entry, std::string_view pipeline) {
  return entry.pipeline.empty() || entry.pipeline == pipeline;
}

//! The names of the sources that can feed `pipeline`.
std::vector<std::string> source_names(std::string_view pipeline);

}  // namespace sb::sources
