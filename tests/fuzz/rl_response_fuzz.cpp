// libFuzzer target: any bytes as a Spectra Intelligence or Spectra Analyze reply (single and batch forms).
#include <cstddef>
#include <cstdint>
#include <string>

#include "intel/verdict_json.hpp"
#include "rl/spectra_analyze_response.hpp"
#include "rl/spectra_intelligence_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static sb::rl::IntelligenceResponseParser intelligence;
  static sb::rl::AnalyzeResponseParser analyze;
  const std::string body(reinterpret_cast<const char*>(data), size);
  const std::string hash(40, 'a');
  if (auto v = intelligence.parse_single(body, hash); v.ok()) (void)sb::intel::verdict_json(*v);
  if (auto m = intelligence.parse_bulk(body, "sha1"); m.ok()) {
    for (const auto& [key, v] : *m) (void)sb::intel::verdict_json(v);
  }
  if (auto v = analyze.parse_classification(body, hash); v.ok()) (void)sb::intel::verdict_json(*v);
  if (auto m = analyze.parse_list(body, "sha1"); m.ok()) {
    for (const auto& [key, v] : *m) (void)sb::intel::verdict_json(v);
  }
  return 0;
}
