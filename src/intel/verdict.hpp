// One verdict model for every intelligence provider (Spectra Intelligence, Spectra Analyze, the local store).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb::intel {

//! Ordered by severity, so the worst verdict of an alert is the maximum.
enum class Classification { kUnknown, kGoodware, kSuspicious, kMalicious };

//! "unknown", "goodware", "suspicious", "malicious".
std::string_view classification_name(Classification classification);

struct Verdict {
  std::string hash;  // the hash that was asked about, lower-case
  Classification classification = Classification::kUnknown;
  std::string threat_name;
  std::optional<int> threat_level;  // 1–5, Spectra Intelligence
  std::optional<int> risk_score;    // 0–10, Spectra Analyze
  std::optional<int> trust_factor;  // 0 (best) – 5, goodware
  std::optional<int> detections;    // AV scanners that detect the file…
  std::optional<int> scanners;      // …of this many
  std::optional<double> detection_percent;
  std::string first_seen;
  std::string last_seen;
  std::string reason;        // why it is classified so (antivirus, best_source, …)
  std::string provider;      // "spectra_intelligence", "spectra_analyze", "local"
  std::string looked_up_at;  // UTC ISO-8601
  std::string md5;
  std::string sha1;
  std::string sha256;
};

}  // namespace sb::intel
