// Enrichment comments: first line, per-file lines, worst first, the marker, and truncation that keeps both.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/utf8.hpp"
#include "defender/enrichment.hpp"

namespace sb::defender {
namespace {

FileEvidence file(std::string sha1, std::string name) {
  FileEvidence f;
  f.sha1 = std::move(sha1);
  f.file_name = std::move(name);
  f.entity_type = "File";
  return f;
}

std::string sha1_of(int n) {
  std::string hash = std::to_string(n);
  return std::string(40 - hash.size(), 'a') + hash;
}

intel::Verdict verdict(intel::Classification c, std::string threat = {}) {
  intel::Verdict v;
  v.classification = c;
  v.threat_name = std::move(threat);
  v.provider = "spectra_intelligence";
  return v;
}

TEST(EnrichmentComment, WorstFirstWithEveryDetailAndTheMarkerLast) {
  Alert alert;
  alert.alert_id = "da638034938542195558_2006612345";
  alert.files = {file(sha1_of(1), "setup.exe"), file(sha1_of(2), "invoice.exe")};
  std::map<std::string, intel::Verdict> verdicts;
  verdicts[sha1_of(1)] = verdict(intel::Classification::kGoodware);
  verdicts[sha1_of(1)].trust_factor = 0;
  auto bad = verdict(intel::Classification::kMalicious, "Win32.Ransomware.Tox");
  bad.threat_level = 5;
  bad.detections = 44;
  bad.scanners = 47;
  verdicts[sha1_of(2)] = bad;

  const auto e = build_enrichment(alert, verdicts, {});
  EXPECT_EQ(e.worst, intel::Classification::kMalicious);
  EXPECT_EQ(e.threat_name, "Win32.Ransomware.Tox");
  EXPECT_EQ(e.marker, "spectra-bridge:da638034938542195558_2006612345:" + sha1_of(1) + "," + sha1_of(2));
  EXPECT_EQ(e.comment,
            "ReversingLabs: MALICIOUS — Win32.Ransomware.Tox (1 of 2 files malicious)\n"
            "- invoice.exe: malicious, Win32.Ransomware.Tox, threat level 5, 44 of 47 scanners [spectra_intelligence]\n"
            "  sha1 " +
                sha1_of(2) +
                "\n"
                "- setup.exe: goodware, trust factor 0 [spectra_intelligence]\n"
                "  sha1 " +
                sha1_of(1) + "\n" + e.marker);
}

TEST(EnrichmentComment, MarkerIgnoresEvidenceOrder) {
  const std::vector<FileEvidence> one = {file(sha1_of(2), "b"), file(sha1_of(1), "a")};
  const std::vector<FileEvidence> two = {file(sha1_of(1), "a"), file(sha1_of(2), "b")};
  EXPECT_EQ(enrichment_marker("x", one), enrichment_marker("x", two));
}

TEST(EnrichmentComment, ALongFileListMakesABoundedMarkerThatStillTellsSetsApart) {
  std::vector<FileEvidence> files;
  for (int i = 0; i < 50; ++i) files.push_back(file(sha1_of(i), "f"));
  const auto marker = enrichment_marker("alert", files);
  EXPECT_TRUE(marker.starts_with("spectra-bridge:alert:"));
  EXPECT_EQ(std::count(marker.begin(), marker.end(), ','), 4);  // four hashes listed in full
  EXPECT_NE(marker.find(",+46#"), std::string::npos);
  EXPECT_LT(marker.size(), 260u);
  files.pop_back();
  EXPECT_NE(enrichment_marker("alert", files), marker);
}

TEST(EnrichmentComment, FileWithoutVerdictIsUnknown) {
  Alert alert;
  alert.alert_id = "a";
  FileEvidence only_sha256;
  only_sha256.sha256 = std::string(64, 'b');
  alert.files = {only_sha256};
  const auto e = build_enrichment(alert, {}, {});
  EXPECT_EQ(e.worst, intel::Classification::kUnknown);
  EXPECT_NE(e.comment.find("- (no file name): unknown\n  sha256 " + std::string(64, 'b')), std::string::npos);
  EXPECT_EQ(e.marker, "spectra-bridge:a:" + std::string(64, 'b'));
}

TEST(EnrichmentComment, TruncationDropsTheLeastTellingFilesAndSaysHowMany) {
  Alert alert;
  alert.alert_id = "alert-1";
  std::map<std::string, intel::Verdict> verdicts;
  for (int i = 0; i < 50; ++i) {
    alert.files.push_back(file(sha1_of(i), "file" + std::to_string(i) + ".dll"));
    verdicts[sha1_of(i)] = verdict(i == 37 ? intel::Classification::kMalicious : intel::Classification::kGoodware,
                                   i == 37 ? "Win32.Trojan.Delf" : "");
  }
  CommentOptions options;
  options.max_chars = 800;
  const auto e = build_enrichment(alert, verdicts, options);
  EXPECT_LE(e.comment.size(), options.max_chars);
  EXPECT_TRUE(e.comment.starts_with("ReversingLabs: MALICIOUS — Win32.Trojan.Delf (1 of 50 files malicious)\n"));
  EXPECT_TRUE(e.comment.ends_with("\n" + e.marker));
  EXPECT_NE(e.comment.find("- file37.dll: malicious"), std::string::npos);  // the worst file is never cut
  const auto note = e.comment.find(" more files not shown)\n");
  ASSERT_NE(note, std::string::npos);
  size_t shown = 0;
  for (size_t at = e.comment.find("\n- "); at != std::string::npos; at = e.comment.find("\n- ", at + 1)) ++shown;
  const auto open = e.comment.rfind('(', note);
  EXPECT_EQ(std::stoul(e.comment.substr(open + 1, note - open - 1)) + shown, 50u);
}

TEST(EnrichmentComment, MarkerSurvivesEvenWhenNothingElseFits) {
  Alert alert;
  alert.alert_id = std::string(300, 'x');
  alert.files = {file(sha1_of(1), "a.exe"), file(sha1_of(2), "b.exe")};
  CommentOptions options;
  options.max_chars = 200;
  const auto e = build_enrichment(alert, {}, options);
  EXPECT_TRUE(e.comment.ends_with(e.marker));
  EXPECT_NE(e.comment.find("(2 more files not shown)"), std::string::npos);
}

TEST(EnrichmentComment, LongFileNamesAreClippedOnACharacterBoundary) {
  Alert alert;
  alert.alert_id = "a";
  std::string name = "a";  // one ASCII byte first, so the clip point falls inside a two-byte "é"
  for (int i = 0; i < 200; ++i) name += "é";
  alert.files = {file(sha1_of(1), name)};
  const auto e = build_enrichment(alert, {}, {});
  const auto line_end = e.comment.find('\n', e.comment.find("- "));
  const std::string line = e.comment.substr(0, line_end);
  EXPECT_NE(line.find("…"), std::string::npos);
  EXPECT_LT(line.size(), 260u);
  EXPECT_EQ(core::first_invalid_utf8(e.comment), std::nullopt) << "a name was cut inside a character";
}

}  // namespace
}  // namespace sb::defender
