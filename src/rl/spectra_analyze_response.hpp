// Spectra Analyze (A1000) responses → verdicts: classification v3 (one hash) and the v2 sample list.
#pragma once

#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "intel/verdict.hpp"

namespace sb::rl {

class AnalyzeResponseParser {
 public:
  //! GET /api/samples/v3/{hash}/classification/: a body carrying "Hash not found" means unknown.
  core::Result<intel::Verdict> parse_classification(const std::string& body, std::string_view hash);

  //! POST /api/samples/v2/list/: {"count","next","previous","results":[…]}, keyed by each result's hash of
  //! `hash_type`. Samples not on the appliance are absent.
  core::Result<std::map<std::string, intel::Verdict>> parse_list(const std::string& body, std::string_view hash_type);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace sb::rl
