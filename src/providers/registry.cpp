// Every verdict provider, one line each. Adding one: its file (the adapter and `const ProviderEntry& NAME_entry()`,
// as in spectra_analyze_provider.cpp) and one line here; its keys, its choice in scan.providers and doctor follow.
#include "providers/provider_entry.hpp"

#include <fmt/format.h>

#define SB_PROVIDERS(X)       \
  X(local_provider)           \
  X(spectra_analyze_provider) \
  X(spectra_intelligence_provider)

namespace sb::providers {

#define SB_DECLARE_ENTRY(name) const ProviderEntry& name##_entry();
SB_PROVIDERS(SB_DECLARE_ENTRY)
#undef SB_DECLARE_ENTRY

const core::Registry<ProviderEntry>& provider_registry() {
#define SB_ENTRY(name) &name##_entry(),
  static const core::Registry<ProviderEntry> registry({SB_PROVIDERS(SB_ENTRY)});
#undef SB_ENTRY
  return registry;
}

void check_with_a_lookup(const ProviderEntry& entry, const ProviderContext& context, core::DoctorReport& report) {
  constexpr std::string_view kEicarSha1 = "3395856ce81f2b7382dee72602f798b642f14140";
  auto provider = entry.make(context);
  if (!provider) {
    report.fail(entry.name, provider.error().message);
    return;
  }
  const auto result = (*provider)->lookup(core::HashType::kSha1, {std::string(kEicarSha1)});
  if (result.ok()) {
    report.ok(entry.name, "credentials accepted (a lookup of the EICAR test file answered)");
  } else {
    report.fail(entry.name, result.failure->message);
  }
}

}  // namespace sb::providers
