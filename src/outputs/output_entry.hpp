// An output's registry entry: its name, its own configuration keys, a factory per item type it takes (rows,
// enrichments), the dead letters it can keep, and its doctor checks. Every output file defines one;
// outputs/registry.cpp lists them.
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
#include "defender/enrichment.hpp"
#include "detect/row.hpp"
#include "engine/dead_letters.hpp"
#include "engine/output.hpp"
#include "engine/pipeline_traits.hpp"

namespace sb::outputs {

//! What an output is built from.
struct OutputContext {
  const core::Config& config;
  std::string section;  // its keys' section: "<pipeline>.<output>", e.g. "ingest.logs_ingestion"
  engine::PipelineTraits pipeline;
  std::filesystem::path store_path;  // the local store (store.path, or <data_dir>/store.db)
  azure::Identity& azure;
  //! Where items the service refuses for good are recorded; null in doctor, which builds no output.
  engine::DeadLetterRecorder* dead_letters = nullptr;
  std::stop_token stop;
};

template <typename Item>
using OutputFactory = std::function<core::Result<std::unique_ptr<engine::Output<Item>>>(const OutputContext&)>;

struct OutputEntry {
  std::string_view name;
  std::string_view summary;  // one line for the docs
  std::function<std::vector<core::KeySpec>(const engine::PipelineTraits& pipeline, std::string_view section)> keys;
  OutputFactory<detect::Row> rows;                  // empty: it takes no rows
  OutputFactory<defender::Enrichment> enrichments;  // empty: it takes no enrichments
  //! The dead letters it keeps (the store's table): when the output is in use, the pipeline's quarantined inputs are
  //! recorded there too. Empty for outputs that keep none.
  std::function<core::Result<std::unique_ptr<engine::DeadLetterRecorder>>(const OutputContext&)> dead_letters;
  std::function<void(const OutputContext&, core::DoctorReport&)> doctor;
};

//! The factory of `entry` for `Item`.
template <typename Item>
const OutputFactory<Item>& factory_of(const OutputEntry& entry);
template <>
inline const OutputFactory<detect::Row>& factory_of<detect::Row>(const OutputEntry& entry) {
  return entry.rows;
}
template <>
inline const OutputFactory<defender::Enrichment>& factory_of<defender::Enrichment>(const OutputEntry& entry) {
  return entry.enrichments;
}

//! Every registered output, in registration order (outputs/registry.cpp).
const core::Registry<OutputEntry>& output_registry();

}  // namespace sb::outputs
