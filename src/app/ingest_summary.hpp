// The closing summary of an ingest run: what was done, what the store holds, and a query to try.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "pipeline/ingest_pipeline.hpp"

namespace sb::app {

std::string render_ingest_summary(const pipeline::IngestPipeline& pipeline, double seconds,
                                  const std::optional<std::filesystem::path>& store);

}  // namespace sb::app
