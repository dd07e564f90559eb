// The spectra_intelligence provider's entry: [scan.spectra_intelligence] → rl::SpectraIntelligenceClient.
#include <fmt/format.h>

#include "core/settings.hpp"
#include "providers/provider_entry.hpp"
#include "providers/provider_http.hpp"
#include "rl/spectra_intelligence_client.hpp"

namespace sb::providers {
namespace {

struct IntelligenceSettings {
  std::string url;
  std::string username;
  std::string password;  // a secret reference
  double requests_per_second = 5;
  std::chrono::milliseconds timeout{30'000};
};

const core::Settings<IntelligenceSettings>& intelligence_settings() {
  static const core::Settings<IntelligenceSettings> settings = [] {
    core::Settings<IntelligenceSettings> table;
    table.url("url", &IntelligenceSettings::url, "https://data.reversinglabs.com",
              "Spectra Intelligence (TitaniumCloud) base URL.");
    table.text("username", &IntelligenceSettings::username, "", "Spectra Intelligence user name.");
    table.secret("password", &IntelligenceSettings::password,
                 "Spectra Intelligence password: a secret reference (env:NAME, file:/path, keyvault:URL).");
    table.number("requests_per_second", &IntelligenceSettings::requests_per_second, 5,
                 "Request rate limit (token bucket); 0 means unlimited.", 0, 10'000);
    table.duration("timeout_ms", &IntelligenceSettings::timeout, 30'000, "Timeout of one request (milliseconds).", 100,
                   600'000);
    return table;
  }();
  return settings;
}

core::Result<std::shared_ptr<intel::IntelProvider>> make_provider(const ProviderContext& context) {
  auto settings = intelligence_settings().read(context.config, context.section);
  if (!settings) return settings.error();
  rl::SpectraIntelligenceOptions options;
  options.base_url = settings->url;
  if (options.base_url.empty()) return core::make_error(context.section + ".url is empty");
  options.username = settings->username;
  if (options.username.empty()) return core::make_error(context.section + ".username is not set");
  auto password = context.azure.refreshing_secret(core::key_path(context.section, "password"), settings->password);
  if (!password) return password.error();
  options.password = std::move(password).value();
  options.requests_per_second = settings->requests_per_second;
  options.stop = context.stop;
  auto http = provider_http(settings->timeout, {}, context.stop);
  if (!http) return http.error();
  auto client = rl::SpectraIntelligenceClient::create(std::move(http).value(), options);
  if (!client) return client.error();
  return std::shared_ptr<intel::IntelProvider>(std::move(client).value());
}

}  // namespace

const ProviderEntry& spectra_intelligence_provider_entry() {
  static const ProviderEntry entry{
      .name = "spectra_intelligence",
      .summary = "ReversingLabs Spectra Intelligence (TitaniumCloud) Malware Presence, up to 100 hashes per request.",
      .keys = [](std::string_view section) { return intelligence_settings().keys(section); },
      .make = make_provider,
      .doctor =
          [](const ProviderContext& context, core::DoctorReport& report) {
            if (auto settings = intelligence_settings().read(context.config, context.section)) {
              context.azure.check_secret(core::key_path(context.section, "password"), settings->password, report);
            }
            check_with_a_lookup(spectra_intelligence_provider_entry(), context, report);
          },
  };
  return entry;
}

}  // namespace sb::providers
