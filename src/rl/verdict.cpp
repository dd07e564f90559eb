// Classification names and the mapping from each product's vocabulary.
#include "rl/verdict.hpp"

#include <string>

#include "core/text.hpp"
#include "rl/lookup_history.hpp"

namespace sb::rl {

std::string_view classification_name(Classification classification) {
  switch (classification) {
    case Classification::kUnknown: return "unknown";
    case Classification::kGoodware: return "goodware";
    case Classification::kSuspicious: return "suspicious";
    case Classification::kMalicious: return "malicious";
  }
  return "unknown";
}

Classification from_intelligence_status(std::string_view status) {
  const auto value = core::ascii_lower(status);
  if (value == "malicious") return Classification::kMalicious;
  if (value == "suspicious") return Classification::kSuspicious;
  if (value == "known") return Classification::kGoodware;
  return Classification::kUnknown;
}

Classification from_analyze_classification(std::string_view classification) {
  const auto value = core::ascii_lower(classification);
  if (value == "malicious") return Classification::kMalicious;
  if (value == "suspicious") return Classification::kSuspicious;
  if (value == "goodware" || value == "known") return Classification::kGoodware;
  return Classification::kUnknown;
}

std::chrono::seconds HistoryTtl::of(Classification classification) const {
  switch (classification) {
    case Classification::kMalicious: return malicious;
    case Classification::kSuspicious: return suspicious;
    case Classification::kGoodware: return goodware;
    case Classification::kUnknown: return unknown;
  }
  return unknown;
}

}  // namespace sb::rl
