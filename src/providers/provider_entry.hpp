// A verdict provider's registry entry: its name, its own configuration keys, the factory that builds it, and its
// doctor checks. Every provider file defines one; providers/registry.cpp lists them.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "azure/identity.hpp"
#include "core/config.hpp"
#include "core/doctor_report.hpp"
#include "core/registry.hpp"
#include "core/result.hpp"
#include "intel/intel_provider.hpp"

namespace sb::providers {

//! What a provider is built from.
struct ProviderContext {
  const core::Config& config;
  std::string section;  // its keys' section, e.g. "scan.spectra_intelligence"
  std::filesystem::path store_path;
  azure::Identity& azure;  // for keyvault: secret references
  std::stop_token stop;
};

struct ProviderEntry {
  std::string_view name;
  std::string_view summary;  // one line for the docs
  std::function<std::vector<core::KeySpec>(std::string_view section)> keys;
  std::function<core::Result<std::shared_ptr<intel::IntelProvider>>(const ProviderContext&)> make;
  std::function<void(const ProviderContext&, core::DoctorReport&)> doctor;
};

//! Every registered provider, in registration order (providers/registry.cpp).
const core::Registry<ProviderEntry>& provider_registry();

//! doctor for a provider that answers over the network: builds it and asks it about the EICAR test file, which every
//! ReversingLabs product knows and which is harmless to ask about.
void check_with_a_lookup(const ProviderEntry& entry, const ProviderContext& context, core::DoctorReport& report);

}  // namespace sb::providers
