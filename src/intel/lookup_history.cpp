// How long a remembered verdict is trusted, by classification.
#include "intel/lookup_history.hpp"

namespace sb::intel {

std::chrono::seconds HistoryTtl::of(Classification classification) const {
  switch (classification) {
    case Classification::kMalicious: return malicious;
    case Classification::kSuspicious: return suspicious;
    case Classification::kGoodware: return goodware;
    case Classification::kUnknown: return unknown;
  }
  return unknown;
}

}  // namespace sb::intel
