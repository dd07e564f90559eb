// The spectra_analyze provider's entry: [scan.spectra_analyze] → rl::SpectraAnalyzeClient.
#include <fmt/format.h>

#include "core/settings.hpp"
#include "providers/provider_entry.hpp"
#include "providers/provider_http.hpp"
#include "rl/spectra_analyze_client.hpp"

namespace sb::providers {
namespace {

struct AnalyzeSettings {
  std::string url;
  std::string token;  // a secret reference
  std::string ca_file;
  double requests_per_second = 10;
  std::chrono::milliseconds timeout{30'000};
};

const core::Settings<AnalyzeSettings>& analyze_settings() {
  static const core::Settings<AnalyzeSettings> settings = [] {
    core::Settings<AnalyzeSettings> table;
    table.url("url", &AnalyzeSettings::url, "",
              "Spectra Analyze (A1000) appliance base URL, e.g. https://a1000.example.com.");
    table.secret("token", &AnalyzeSettings::token,
                 "Spectra Analyze REST API token: a secret reference (env:NAME, file:/path, keyvault:URL).");
    table.text("ca_file", &AnalyzeSettings::ca_file, "",
               "Extra CA bundle (PEM) for an appliance whose certificate a private CA signed; TLS is always verified.");
    table.number("requests_per_second", &AnalyzeSettings::requests_per_second, 10,
                 "Request rate limit (token bucket); 0 means unlimited.", 0, 10'000);
    table.duration("timeout_ms", &AnalyzeSettings::timeout, 30'000, "Timeout of one request (milliseconds).", 100,
                   600'000);
    return table;
  }();
  return settings;
}

core::Result<std::shared_ptr<intel::IntelProvider>> make_provider(const ProviderContext& context) {
  auto settings = analyze_settings().read(context.config, context.section);
  if (!settings) return settings.error();
  rl::SpectraAnalyzeOptions options;
  options.base_url = settings->url;
  if (options.base_url.empty()) {
    return core::make_error(fmt::format("scan.providers lists spectra_analyze but {}.url is empty", context.section));
  }
  auto token = context.azure.refreshing_secret(core::key_path(context.section, "token"), settings->token);
  if (!token) return token.error();
  options.token = std::move(token).value();
  options.requests_per_second = settings->requests_per_second;
  options.stop = context.stop;
  if (!settings->ca_file.empty() && !std::filesystem::is_regular_file(settings->ca_file)) {
    return core::make_error(fmt::format("{}.ca_file: {} is not a readable file", context.section, settings->ca_file));
  }
  auto http = provider_http(settings->timeout, settings->ca_file, context.stop);
  if (!http) return http.error();
  auto client = rl::SpectraAnalyzeClient::create(std::move(http).value(), options);
  if (!client) return client.error();
  return std::shared_ptr<intel::IntelProvider>(std::move(client).value());
}

}  // namespace

const ProviderEntry& spectra_analyze_provider_entry() {
  static const ProviderEntry entry{
      .name = "spectra_analyze",
      .summary = "A ReversingLabs Spectra Analyze (A1000) appliance: classification v3, the v2 list for batches.",
      .keys = [](std::string_view section) { return analyze_settings().keys(section); },
      .make = make_provider,
      .doctor =
          [](const ProviderContext& context, core::DoctorReport& report) {
            if (auto settings = analyze_settings().read(context.config, context.section)) {
              context.azure.check_secret(core::key_path(context.section, "token"), settings->token, report);
            }
            check_with_a_lookup(spectra_analyze_provider_entry(), context, report);
          },
  };
  return entry;
}

}  // namespace sb::providers
