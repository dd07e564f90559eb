// Field mapping per reversinglabs.md §2.2: classification, classification_result (threat name), riskscore,
// av_scanners (v3) / av_scanners_summary (v2), first/last seen, classification_reason.
#include "rl/spectra_analyze_response.hpp"

#include "core/json_document.hpp"
#include "core/json_fields.hpp"
#include "core/text.hpp"
#include "rl/vendor_classification.hpp"

namespace sb::rl {

using core::int_field;
using core::number_field;
using core::string_field;
namespace {

constexpr std::string_view kProvider = "spectra_analyze";

intel::Verdict verdict_from(simdjson::dom::object sample, std::string hash) {
  intel::Verdict verdict;
  verdict.hash = std::move(hash);
  verdict.provider = std::string(kProvider);
  verdict.classification = from_analyze_classification(string_field(sample, "classification"));
  verdict.threat_name = string_field(sample, "classification_result");
  verdict.risk_score = int_field(sample, "riskscore");
  verdict.reason = string_field(sample, "classification_reason");
  verdict.first_seen = string_field(sample, "first_seen");
  if (verdict.first_seen.empty()) verdict.first_seen = string_field(sample, "local_first_seen");
  verdict.last_seen = string_field(sample, "last_seen");
  if (verdict.last_seen.empty()) verdict.last_seen = string_field(sample, "local_last_seen");
  verdict.md5 = core::ascii_lower(string_field(sample, "md5"));
  verdict.sha1 = core::ascii_lower(string_field(sample, "sha1"));
  verdict.sha256 = core::ascii_lower(string_field(sample, "sha256"));
  // v3 with av_scanners=1 carries av_scanners; the v2 list carries av_scanners_summary.
  for (const std::string_view key : {"av_scanners", "av_scanners_summary"}) {
    simdjson::dom::object av;
    if (sample[key].get_object().get(av) != simdjson::SUCCESS) continue;
    verdict.detections = int_field(av, "scanner_match");
    verdict.scanners = int_field(av, "scanner_count");
    verdict.detection_percent = number_field(av, "scanner_percent");
    break;
  }
  return verdict;
}

}  // namespace

core::Result<intel::Verdict> AnalyzeResponseParser::parse_classification(const std::string& body,
                                                                         std::string_view hash) {
  if (body.find("Hash not found") != std::string::npos) {
    intel::Verdict unknown;
    unknown.hash = std::string(hash);
    unknown.provider = std::string(kProvider);
    return unknown;
  }
  auto root = core::parse_json(parser_, body);
  if (!root) return root.error();
  simdjson::dom::object sample;
  if (root->get_object().get(sample) != simdjson::SUCCESS) {
    return core::make_error("Spectra Analyze classification reply is not a JSON object");
  }
  return verdict_from(sample, std::string(hash));
}

core::Result<std::map<std::string, intel::Verdict>> AnalyzeResponseParser::parse_list(const std::string& body,
                                                                                      std::string_view hash_type) {
  auto root = core::parse_json(parser_, body);
  if (!root) return root.error();
  simdjson::dom::array results;
  if ((*root)["results"].get_array().get(results) != simdjson::SUCCESS) {
    return core::make_error("Spectra Analyze list reply has no results array");
  }
  std::map<std::string, intel::Verdict> verdicts;
  for (const auto result : results) {
    simdjson::dom::object sample;
    if (result.get_object().get(sample) != simdjson::SUCCESS) continue;
    const std::string key = core::ascii_lower(string_field(sample, hash_type));
    if (key.empty()) continue;
    verdicts.insert_or_assign(key, verdict_from(sample, key));
  }
  return verdicts;
}

}  // namespace sb::rl
