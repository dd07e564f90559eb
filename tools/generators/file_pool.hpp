// The shared Spectra Detect file pool as Defender alerts see it: every pool file once, grouped by role.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "tools/generators/report_generator.hpp"

namespace sb::tools::alert_gen {

enum class Platform : uint8_t { kWindows, kLinux };

//! Immutable once built, so threads share it freely.
class FilePool {
 public:
  //! The pool of `report_seed`, built on first use and kept for the life of the process: hashing
  //! the pool's files takes about half a second, far more than generating the alerts that name them.
  static const FilePool& of(uint64_t report_seed);

  explicit FilePool(uint64_t report_seed);

  const tools::PoolFile& file(uint64_t k) const { return files_[k]; }
  uint64_t report_seed() const { return report_seed_; }

  //! Pool indices (k), in increasing order, of files an alert on `platform` can name.
  std::span<const uint64_t> threats(Platform platform) const { return group(threats_, platform); }
  std::span<const uint64_t> clean(Platform platform) const { return group(clean_, platform); }
  //! Goodware executables: the images system binaries are given (their names come from the catalogue).
  std::span<const uint64_t> tools(Platform platform) const { return group(tools_, platform); }

 private:
  using Groups = std::array<std::vector<uint64_t>, 2>;  // indexed by Platform
  static std::span<const uint64_t> group(const Groups& groups, Platform platform) {
    return groups[static_cast<size_t>(platform)];
  }

  uint64_t report_seed_;
  std::vector<tools::PoolFile> files_;
  Groups threats_;
  Groups clean_;
  Groups tools_;
};

}  // namespace sb::tools::alert_gen
