// Spectra Intelligence (TitaniumCloud) TCA-0101 Malware Presence: one hash by GET, up to 100 by bulk POST.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/secret_value.hpp"
#include "http/http_client.hpp"
#include "intel/intel_provider.hpp"
#include "rl/provider_status.hpp"
#include "rl/spectra_intelligence_response.hpp"

namespace sb::rl {

struct SpectraIntelligenceOptions {
  std::string base_url = "https://data.reversinglabs.com";
  std::string username;            // resolved secret values: sent as HTTP Basic, never logged nor put in messages
  core::SecretValue password;      // re-read from Key Vault when it is a keyvault: reference
  double requests_per_second = 0;  // HTTP requests (pages, not retries) per second; 0 = unlimited
  std::string user_agent = std::string(kDefaultUserAgent);
  std::stop_token stop;  // ends a wait for the rate limit
};

//! Unknown hashes (status UNKNOWN, a 404, or left out of a bulk reply) come back as verdicts with
//! intel::Classification::kUnknown: a successful lookup holds exactly one verdict per hash asked about.
class SpectraIntelligenceClient final : public intel::IntelProvider {
 public:
  //! reversinglabs.md §1.2: MAX_BULK_HASHES_MWP. lookup() also chunks longer lists itself.
  static constexpr size_t kMaxBatch = 100;

  //! Checks the options (https base URL, or http on loopback for tests; username and password present).
  static core::Result<std::unique_ptr<SpectraIntelligenceClient>> create(std::shared_ptr<http::HttpClient> http,
                                                                         const SpectraIntelligenceOptions& options);

  std::string_view name() const override { return "spectra_intelligence"; }
  size_t max_batch() const override { return kMaxBatch; }
  intel::LookupResult lookup(core::HashType type, const std::vector<std::string>& hashes) override;
  intel::ProviderCounters counters() const override { return channel_.counters(); }

 private:
  SpectraIntelligenceClient(std::shared_ptr<http::HttpClient> http, const SpectraIntelligenceOptions& options,
                            std::string base);

  std::optional<core::Error> lookup_single(core::HashType type, const std::string& hash,
                                           IntelligenceResponseParser& parser,
                                           std::map<std::string, intel::Verdict>& verdicts);
  std::optional<core::Error> lookup_bulk(core::HashType type, std::span<const std::string> hashes,
                                         IntelligenceResponseParser& parser,
                                         std::map<std::string, intel::Verdict>& verdicts);
  http::Request make_request(std::string method, std::string_view path_and_query) const;

  std::string base_;  // scheme://host[:port][/path], no trailing slash
  std::string username_;
  core::SecretValue password_;
  std::string user_agent_;
  ProviderChannel channel_;
};

}  // namespace sb::rl
