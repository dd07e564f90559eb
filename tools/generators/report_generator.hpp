// Synthetic Spectra Detect task reports (nested or flat view) for tests, benchmarks and the demo.
#pragma once

#include <cstdint>
#include <string>

namespace sb::tools {

struct ReportGeneratorOptions {
  uint64_t seed = 1;
  bool flat_view = false;
  int children_min = 0;  // extracted files per report, inclusive range
  int children_max = 40;
};

//! JSON text (compact, one line, ending with '\n') of report number `n` (0-based).
//! Deterministic in (options, n): same inputs give the same bytes. Thread-safe.
std::string generate_report(const ReportGeneratorOptions& options, uint64_t n);

//! A file that generated reports draw from. The pool is deterministic in the seed so another
//! generator (Defender alerts) can emit alerts whose hashes match files in generated reports.
struct PoolFile {
  std::string md5, sha1, sha256;
  int classification;       // 0 unknown, 1 goodware, 2 suspicious, 3 malicious
  std::string threat_name;  // empty unless classification is 2 or 3
  std::string file_name;
  std::string file_type, file_subtype;
  uint64_t size;
};

inline constexpr uint64_t kPoolSize = 2000;

//! The k-th file of the shared pool for `seed` (k in [0, kPoolSize)).
PoolFile pool_file(uint64_t seed, uint64_t k);

//! The content of pool file k; its digests are the hashes pool_file reports.
std::string pool_file_bytes(uint64_t seed, uint64_t k);

}  // namespace sb::tools
