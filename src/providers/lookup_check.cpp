// The doctor check of a provider that answers over the network: one lookup of a hash every product knows.
#include "providers/provider_entry.hpp"

namespace sb::providers {

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
