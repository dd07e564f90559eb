// Verdict ⇄ JSON. Field names follow the verdict model, not any one product's reply.
#include "intel/verdict_json.hpp"

#include "core/json_fields.hpp"

namespace sb::intel {

using core::int_field;
using core::number_field;
using core::string_field;
namespace {

void optional_int(core::JsonWriter& out, std::string_view key, const std::optional<int>& value) {
  if (value) out.key(key).value(*value);
}

void optional_text(core::JsonWriter& out, std::string_view key, const std::string& value) {
  if (!value.empty()) out.key(key).value(value);
}

}  // namespace

std::optional<Classification> classification_from_name(std::string_view name) {
  for (auto c :
       {Classification::kUnknown, Classification::kGoodware, Classification::kSuspicious, Classification::kMalicious}) {
    if (classification_name(c) == name) return c;
  }
  return std::nullopt;
}

void write_verdict_json(core::JsonWriter& out, const Verdict& verdict) {
  out.begin_object();
  out.key("hash").value(verdict.hash);
  out.key("classification").value(classification_name(verdict.classification));
  optional_text(out, "threat_name", verdict.threat_name);
  optional_int(out, "threat_level", verdict.threat_level);
  optional_int(out, "risk_score", verdict.risk_score);
  optional_int(out, "trust_factor", verdict.trust_factor);
  optional_int(out, "detections", verdict.detections);
  optional_int(out, "scanners", verdict.scanners);
  if (verdict.detection_percent) out.key("detection_percent").value(*verdict.detection_percent);
  optional_text(out, "first_seen", verdict.first_seen);
  optional_text(out, "last_seen", verdict.last_seen);
  optional_text(out, "reason", verdict.reason);
  optional_text(out, "provider", verdict.provider);
  optional_text(out, "looked_up_at", verdict.looked_up_at);
  optional_text(out, "md5", verdict.md5);
  optional_text(out, "sha1", verdict.sha1);
  optional_text(out, "sha256", verdict.sha256);
  out.end_object();
}

std::string verdict_json(const Verdict& verdict) {
  std::string text;
  core::JsonWriter out(text);
  write_verdict_json(out, verdict);
  return text;
}

core::Result<Verdict> read_verdict_json(simdjson::dom::element element) {
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) return core::make_error("verdict is not an object");
  Verdict verdict;
  verdict.hash = string_field(object, "hash");
  const auto classification = classification_from_name(string_field(object, "classification"));
  if (verdict.hash.empty() || !classification) {
    return core::make_error("verdict lacks a hash or a known classification");
  }
  verdict.classification = *classification;
  verdict.threat_name = string_field(object, "threat_name");
  verdict.threat_level = int_field(object, "threat_level");
  verdict.risk_score = int_field(object, "risk_score");
  verdict.trust_factor = int_field(object, "trust_factor");
  verdict.detections = int_field(object, "detections");
  verdict.scanners = int_field(object, "scanners");
  verdict.detection_percent = number_field(object, "detection_percent");
  verdict.first_seen = string_field(object, "first_seen");
  verdict.last_seen = string_field(object, "last_seen");
  verdict.reason = string_field(object, "reason");
  verdict.provider = string_field(object, "provider");
  verdict.looked_up_at = string_field(object, "looked_up_at");
  verdict.md5 = string_field(object, "md5");
  verdict.sha1 = string_field(object, "sha1");
  verdict.sha256 = string_field(object, "sha256");
  return verdict;
}

}  // namespace sb::intel
