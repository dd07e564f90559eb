// Classification names.
#include "intel/verdict.hpp"

#include <string>

namespace sb::intel {

std::string_view classification_name(Classification classification) {
  switch (classification) {
    case Classification::kUnknown: return "unknown";
    case Classification::kGoodware: return "goodware";
    case Classification::kSuspicious: return "suspicious";
    case Classification::kMalicious: return "malicious";
  }
  return "unknown";
}

}  // namespace sb::intel
