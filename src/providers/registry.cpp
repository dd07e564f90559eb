// Every verdict provider, one line each. Adding one: its file (the adapter and `const ProviderEntry& NAME_entry()`,
// as in spectra_analyze_provider.cpp) and one line here; its keys, its choice in scan.providers and doctor follow.
#include "providers/provider_entry.hpp"

#define SB_PROVIDERS(X)       \
  X(local_provider)           \
  X(spectra_analyze_provider) \
  X(spectra_intelligence_provider)

namespace sb::providers {

SB_DEFINE_REGISTRY(ProviderEntry, provider_registry, SB_PROVIDERS)

}  // namespace sb::providers
