// Field mapping per reversinglabs.md §1.2: status, threat_name, threat_level, trust_factor, scanner_*,
// first/last_seen, reason, hashes.
#include "rl/spectra_intelligence_response.hpp"

#include <fmt/format.h>

#include "core/json_document.hpp"
#include "core/json_fields.hpp"
#include "core/text.hpp"
#include "rl/vendor_classification.hpp"

namespace sb::rl {

using core::int_field;
using core::number_field;
using core::string_field;
namespace {

constexpr std::string_view kProvider = "spectra_intelligence";

intel::Verdict verdict_from(simdjson::dom::object presence, std::string hash) {
  intel::Verdict verdict;
  verdict.hash = std::move(hash);
  verdict.provider = std::string(kProvider);
  verdict.classification = from_intelligence_status(string_field(presence, "status"));
  verdict.threat_name = string_field(presence, "threat_name");
  verdict.threat_level = int_field(presence, "threat_level");
  verdict.trust_factor = int_field(presence, "trust_factor");
  verdict.detections = int_field(presence, "scanner_match");
  verdict.scanners = int_field(presence, "scanner_count");
  verdict.detection_percent = number_field(presence, "scanner_percent");
  verdict.first_seen = string_field(presence, "first_seen");
  verdict.last_seen = string_field(presence, "last_seen");
  verdict.reason = string_field(presence, "reason");
  verdict.md5 = core::ascii_lower(string_field(presence, "md5"));
  verdict.sha1 = core::ascii_lower(string_field(presence, "sha1"));
  verdict.sha256 = core::ascii_lower(string_field(presence, "sha256"));
  return verdict;
}

}  // namespace

core::Result<intel::Verdict> IntelligenceResponseParser::parse_single(const std::string& body, std::string_view hash) {
  auto root = core::parse_json(parser_, body);
  if (!root) return root.error();
  simdjson::dom::object presence;
  if (root->at_pointer("/rl/malware_presence").get_object().get(presence) != simdjson::SUCCESS) {
    return core::make_error("Spectra Intelligence reply has no rl.malware_presence object");
  }
  return verdict_from(presence, std::string(hash));
}

core::Result<std::map<std::string, intel::Verdict>> IntelligenceResponseParser::parse_bulk(const std::string& body,
                                                                                           std::string_view hash_type) {
  auto root = core::parse_json(parser_, body);
  if (!root) return root.error();
  simdjson::dom::array entries;
  if (root->at_pointer("/rl/entries").get_array().get(entries) != simdjson::SUCCESS) {
    return core::make_error("Spectra Intelligence bulk reply has no rl.entries array");
  }
  std::map<std::string, intel::Verdict> verdicts;
  for (const auto entry : entries) {
    simdjson::dom::object presence;
    if (entry.get_object().get(presence) != simdjson::SUCCESS) continue;
    simdjson::dom::object query_hash;
    std::string_view queried;
    if (presence["query_hash"].get_object().get(query_hash) != simdjson::SUCCESS ||
        query_hash[hash_type].get_string().get(queried) != simdjson::SUCCESS) {
      continue;  // an entry that does not say which hash it answers cannot be matched safely
    }
    std::string key = core::ascii_lower(std::string(queried));
    verdicts.insert_or_assign(key, verdict_from(presence, key));
  }
  return verdicts;
}

}  // namespace sb::rl
