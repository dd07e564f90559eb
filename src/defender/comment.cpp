// Enrichment building and comment rendering: plain text that reads well in the Defender portal, worst file
// first, cut to a maximum length without ever losing the first line or the marker.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/hash.hpp"
#include "core/utf8.hpp"
#include "defender/enrichment.hpp"

namespace sb::defender {
namespace {

constexpr size_t kMaxFileNameChars = 160;  // a pathological name must not crowd out every other file
constexpr std::string_view kMarkerPrefix = "spectra-bridge:";
constexpr size_t kMarkerHashes = 4;  // hashes a marker lists in full

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string clipped(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, core::utf8_boundary_before(text, limit))) + "…";
}

std::string headline(const Enrichment& enrichment) {
  const size_t flagged =
      static_cast<size_t>(std::count_if(enrichment.files.begin(), enrichment.files.end(), [&](const FileVerdict& f) {
        return f.verdict.classification == enrichment.worst;
      }));
  std::string line = fmt::format("ReversingLabs: {}", upper(intel::classification_name(enrichment.worst)));
  if (!enrichment.threat_name.empty()) line += fmt::format(" — {}", enrichment.threat_name);
  line += fmt::format(" ({} of {} file{} {})\n", flagged, enrichment.files.size(),
                      enrichment.files.size() == 1 ? "" : "s", intel::classification_name(enrichment.worst));
  return line;
}

std::string file_block(const FileVerdict& item) {
  const auto& v = item.verdict;
  const std::string name =
      item.file.file_name.empty() ? "(no file name)" : clipped(item.file.file_name, kMaxFileNameChars);
  std::string line = fmt::format("- {}: {}", name, intel::classification_name(v.classification));
  if (!v.threat_name.empty()) line += fmt::format(", {}", v.threat_name);
  if (v.threat_level) line += fmt::format(", threat level {}", *v.threat_level);
  if (v.risk_score) line += fmt::format(", risk score {}", *v.risk_score);
  if (v.trust_factor && v.classification == intel::Classification::kGoodware) {
    line += fmt::format(", trust factor {}", *v.trust_factor);
  }
  if (v.detections && v.scanners) line += fmt::format(", {} of {} scanners", *v.detections, *v.scanners);
  if (!v.provider.empty()) line += fmt::format(" [{}]", v.provider);
  line += '\n';
  const auto& hash = primary_hash(item.file);
  if (!hash.empty())
    line += fmt::format("  {} {}\n", hash.size() == 40 ? "sha1" : hash.size() == 64 ? "sha256" : "md5", hash);
  return line;
}

}  // namespace

const std::string& primary_hash(const FileEvidence& file) {
  if (!file.sha1.empty()) return file.sha1;
  if (!file.sha256.empty()) return file.sha256;
  return file.md5;
}

std::string enrichment_marker(const std::string& alert_id, const std::vector<FileEvidence>& files) {
  std::set<std::string> hashes;
  for (const auto& file : files) {
    if (!primary_hash(file).empty()) hashes.insert(primary_hash(file));
  }
  std::string all;
  for (const auto& hash : hashes) all += (all.empty() ? "" : ",") + hash;
  std::string marker = fmt::format("{}{}:", kMarkerPrefix, alert_id);
  if (hashes.size() <= kMarkerHashes) return marker + all;
  // A long list would crowd out the comment: the first hashes for a reader, and a digest of the whole list so
  // that another file set still makes another marker.
  size_t listed = 0;
  for (const auto& hash : hashes) {
    if (listed++ == kMarkerHashes) break;
    marker += hash + ",";
  }
  return marker + fmt::format("+{}#{}", hashes.size() - kMarkerHashes, core::hex_digest(core::Digest::kSha1, all));
}

Enrichment build_enrichment(Alert alert, const std::map<std::string, intel::Verdict>& verdicts,
                            const CommentOptions& options) {
  Enrichment enrichment;
  enrichment.marker = enrichment_marker(alert.alert_id, alert.files);
  enrichment.alert_id = std::move(alert.alert_id);
  enrichment.title = std::move(alert.title);
  enrichment.severity = std::move(alert.severity);
  for (auto& file : alert.files) {
    FileVerdict item{std::move(file), {}};
    const auto& hash = primary_hash(item.file);
    if (auto found = verdicts.find(hash); found != verdicts.end()) {
      item.verdict = found->second;
    } else {
      item.verdict.hash = hash;
    }
    enrichment.files.push_back(std::move(item));
  }
  // Worst first, keeping evidence order among equals, so a cut list loses the least telling files.
  std::stable_sort(enrichment.files.begin(), enrichment.files.end(), [](const FileVerdict& a, const FileVerdict& b) {
    return a.verdict.classification > b.verdict.classification;
  });
  if (!enrichment.files.empty()) enrichment.worst = enrichment.files.front().verdict.classification;
  for (const auto& item : enrichment.files) {
    if (item.verdict.classification == enrichment.worst && !item.verdict.threat_name.empty()) {
      enrichment.threat_name = item.verdict.threat_name;
      break;
    }
  }
  std::string comment = headline(enrichment);
  const std::string& closing = enrichment.marker;
  // Room is kept for the note about files left out, sized for the longest it can be.
  const size_t note_reserve = fmt::format("({} more files not shown)\n", enrichment.files.size()).size();
  size_t shown = 0;
  for (const auto& item : enrichment.files) {
    const std::string block = file_block(item);
    const bool last = shown + 1 == enrichment.files.size();
    if (comment.size() + block.size() + (last ? 0 : note_reserve) + closing.size() > options.max_chars) break;
    comment += block;
    ++shown;
  }
  if (shown < enrichment.files.size()) {
    const size_t left_out = enrichment.files.size() - shown;
    comment += fmt::format("({} more file{} not shown)\n", left_out, left_out == 1 ? "" : "s");
  }
  comment += closing;
  enrichment.comment = std::move(comment);
  return enrichment;
}

}  // namespace sb::defender
