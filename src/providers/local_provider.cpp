// The local provider's entry: verdicts from the Spectra Detect rows already in the store (store/local_verdicts).
#include "providers/provider_entry.hpp"
#include "store/local_verdicts.hpp"
#include "store/store.hpp"

namespace sb::providers {

const ProviderEntry& local_provider_entry() {
  static const ProviderEntry entry{
      .name = "local",
      .summary = "Spectra Detect verdicts already in the local store; needs no credentials and is never remembered.",
      .keys = [](std::string_view) { return std::vector<core::KeySpec>{}; },
      .make = [](const ProviderContext& context) -> core::Result<std::shared_ptr<intel::IntelProvider>> {
        auto local = store::LocalVerdictProvider::open(context.store_path);
        if (!local) return local.error();
        return std::shared_ptr<intel::IntelProvider>(std::move(local).value());
      },
      .doctor =
          [](const ProviderContext& context, core::DoctorReport& report) {
            if (!report.first_time("store")) return;
            if (auto db = store::open_store(context.store_path); db) {
              report.ok("store", context.store_path.string());
            } else {
              report.fail("store", db.error().message + " (fix: make the folder writable, or set store.path)");
            }
          },
  };
  return entry;
}

}  // namespace sb::providers
