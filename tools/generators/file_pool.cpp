// Builds and caches the per-seed view of the shared file pool that the Defender generator draws from.
#include "tools/generators/file_pool.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace sb::tools::alert_gen {
namespace {

// Spectra Core classifications (see tools::PoolFile).
constexpr int kGoodware = 1;
constexpr int kSuspicious = 2;

//! The platform whose devices can carry the file in an alert; none for kinds endpoint alerts do not
//! name (images, plain text, Android packages).
std::optional<Platform> platform_of(const tools::PoolFile& file) {
  const std::string_view type = file.file_type;
  const std::string_view subtype = file.file_subtype;
  if (type == "ELF") return Platform::kLinux;
  if (type == "PE" || type == "Document") return Platform::kWindows;
  if (type == "Binary" && subtype == "None") return Platform::kWindows;
  if (type == "Text" && subtype != "None" && subtype != "XML") return Platform::kWindows;
  return std::nullopt;
}

bool is_executable(const tools::PoolFile& file) {
  return (file.file_type == "PE" && file.file_subtype == "Exe") || file.file_type == "ELF";
}

}  // namespace

FilePool::FilePool(uint64_t report_seed) : report_seed_(report_seed) {
  files_.reserve(tools::kPoolSize);
  for (uint64_t k = 0; k < tools::kPoolSize; ++k) {
    files_.push_back(tools::pool_file(report_seed, k));
    const tools::PoolFile& file = files_.back();
    const auto platform = platform_of(file);
    if (!platform) continue;
    const auto slot = static_cast<size_t>(*platform);
    (file.classification >= kSuspicious ? threats_ : clean_)[slot].push_back(k);
    if (file.classification == kGoodware && is_executable(file)) tools_[slot].push_back(k);
  }
}

const FilePool& FilePool::of(uint64_t report_seed) {
  static std::mutex mutex;
  static std::map<uint64_t, std::unique_ptr<const FilePool>> pools;
  // Held while building, so two threads asking for a new seed at once build it only once.
  const std::lock_guard lock(mutex);
  auto& pool = pools[report_seed];
  if (!pool) pool = std::make_unique<const FilePool>(report_seed);
  return *pool;
}

}  // namespace sb::tools::alert_gen
