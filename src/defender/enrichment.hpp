// An enrichment: one alert's files with their verdicts, rendered as the comment posted on the alert/incident.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "defender/alert.hpp"
#include "intel/verdict.hpp"

namespace sb::defender {

struct FileVerdict {
  FileEvidence file;
  intel::Verdict verdict;
};

struct Enrichment {
  std::string alert_id;
  std::string title;               // AlertInfo title, when known
  std::string severity;            // AlertInfo severity, when known
  std::vector<FileVerdict> files;  // worst classification first
  intel::Classification worst = intel::Classification::kUnknown;
  std::string threat_name;  // of the worst file that names one
  //! "spectra-bridge:<alert id>:<hash>,<hash>…" (past four hashes: the first four, "+N" and a SHA-1 of the whole
  //! sorted list): identifies this alert and file set in an earlier post.
  std::string marker;
  std::string comment;
};

struct CommentOptions {
  size_t max_chars = 4000;  // the per-file list is cut to fit; the first line and the marker always stay
};

//! The hash a file is looked up by: sha1 (what every ReversingLabs API indexes), else sha256, else md5.
const std::string& primary_hash(const FileEvidence& file);

//! `verdicts` is keyed by primary hash; a file without one counts as unknown. The alert is taken by value so a
//! caller done with it can move it in.
Enrichment build_enrichment(Alert alert, const std::map<std::string, intel::Verdict>& verdicts,
                            const CommentOptions& options);

//! The marker line for an alert and its files' primary hashes (sorted, so evidence order does not matter).
std::string enrichment_marker(const std::string& alert_id, const std::vector<FileEvidence>& files);

}  // namespace sb::defender
