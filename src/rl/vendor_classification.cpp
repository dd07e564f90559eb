// Each ReversingLabs product's classification words, mapped onto the one verdict model.
#include "rl/vendor_classification.hpp"

#include <string>

#include "core/text.hpp"

namespace sb::rl {

using intel::Classification;

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

}  // namespace sb::rl
