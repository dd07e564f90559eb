// The "local" IntelProvider: verdicts from Spectra Detect rows already in the store, so a file Spectra Detect
// classified needs no cloud call, and the embedded default works with no credentials at all.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>

#include "intel/intel_provider.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

class LocalVerdictProvider final : public intel::IntelProvider {
 public:
  //! Opens its own connection to the store at `path`.
  static core::Result<std::unique_ptr<LocalVerdictProvider>> open(const std::filesystem::path& path);

  std::string_view name() const override { return "local"; }
  size_t max_batch() const override { return kMaxBatch; }
  intel::LookupResult lookup(core::HashType type, const std::vector<std::string>& hashes) override;
  intel::ProviderCounters counters() const override;
  bool remembered() const override { return false; }

 private:
  static constexpr size_t kMaxBatch = 100;
  explicit LocalVerdictProvider(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  std::mutex mutex_;
  std::unique_ptr<Database> db_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> hashes_{0};
  std::atomic<uint64_t> failures_{0};
};

}  // namespace sb::store
