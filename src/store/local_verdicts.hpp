// The "local" IntelProvider: verdicts from Spectra Detect rows already in the store, so a file Spectra Detect
// classified needs no cloud call, and the embedded default works with no credentials at all.
#pragma once

#include <array>
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "intel/intel_provider.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

class LocalVerdictProvider final : public intel::IntelProvider {
 public:
  //! Opens the store at `path` (creating its tables); lookups use connections of their own.
  static core::Result<std::unique_ptr<LocalVerdictProvider>> open(const std::filesystem::path& path);

  std::string_view name() const override { return "local"; }
  size_t max_batch() const override { return kMaxBatch; }
  //! Concurrent calls run in parallel, each on a connection of a small pool with its statements prepared once.
  intel::LookupResult lookup(core::HashType type, const std::vector<std::string>& hashes) override;
  intel::ProviderCounters counters() const override;
  bool remembered() const override { return false; }

  //! Connections opened and statements prepared since start (each is once per connection and hash type).
  uint64_t connections() const { return connections_.load(); }
  uint64_t statements_prepared() const { return statements_.load(); }

 private:
  static constexpr size_t kMaxBatch = 100;
  static constexpr size_t kHashTypes = 3;

  //! One connection and its lookup statement per hash type, prepared on first use.
  struct Connection {
    std::unique_ptr<Database> db;
    std::array<std::optional<Statement>, kHashTypes> by_type;
  };

  explicit LocalVerdictProvider(std::filesystem::path path) : path_(std::move(path)) {}
  core::Result<std::unique_ptr<Connection>> take();
  void give_back(std::unique_ptr<Connection> connection);

  std::filesystem::path path_;
  std::mutex mutex_;  // guards idle_ only: no lookup runs under it
  std::vector<std::unique_ptr<Connection>> idle_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> hashes_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> connections_{0};
  std::atomic<uint64_t> statements_{0};
};

}  // namespace sb::store
