// What a component learns about the pipeline it serves: its name (the configuration section), what its inputs are
// called, where its inbox is.
#pragma once

#include <string_view>

namespace sb::engine {

struct PipelineTraits {
  std::string_view name;               // "ingest", "scan": the section of its keys and the dead letters' pipeline
  std::string_view noun;               // "report", "message": what one input is, in key descriptions
  std::string_view inbox;              // "detect", "defender": <data_dir>/inbox/<inbox> is its folder
  std::string_view output = "output";  // "sink", "writer": what one of its outputs is called, in key descriptions
                                       //! Its inputs may be not ready yet (a report still processing), so a source that
                                       //! can defer is asked to.
  bool inputs_can_be_pending = false;
};

}  // namespace sb::engine
