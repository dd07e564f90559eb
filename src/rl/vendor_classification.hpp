// Each ReversingLabs product's classification words, mapped onto intel::Classification.
#pragma once

#include <string_view>

#include "intel/verdict.hpp"

namespace sb::rl {

//! Spectra Intelligence status: MALICIOUS / SUSPICIOUS / KNOWN / UNKNOWN (anything else is unknown).
intel::Classification from_intelligence_status(std::string_view status);

//! Spectra Analyze classification: malicious / suspicious / goodware / "" (case-insensitive).
intel::Classification from_analyze_classification(std::string_view classification);

}  // namespace sb::rl
