// Spectra Analyze (A1000) appliance: one hash by classification v3, several by the v2 sample list (paged).
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
#include "rl/spectra_analyze_response.hpp"

namespace sb::rl {

struct SpectraAnalyzeOptions {
  std::string base_url;     // required: the appliance, e.g. https://a1000.example.com (its CA is the HttpClient's)
  core::SecretValue token;  // sent as "Authorization: Token …", never logged nor in messages
  double requests_per_second = 0;  // HTTP requests (pages, not retries) per second; 0 = unlimited
  std::string user_agent = std::string(kDefaultUserAgent);
  std::stop_token stop;  // ends a wait for the rate limit
};

//! Unknown hashes ("Hash not found", a 404, or absent from the list results) come back as verdicts with
//! intel::Classification::kUnknown: a successful lookup holds exactly one verdict per hash asked about.
class SpectraAnalyzeClient final : public intel::IntelProvider {
 public:
  //! The API documents no limit for /api/samples/v2/list/; 100 keeps requests and replies small.
  static constexpr size_t kMaxBatch = 100;

  //! Checks the options (https base URL, or http on loopback for tests; a token present).
  static core::Result<std::unique_ptr<SpectraAnalyzeClient>> create(std::shared_ptr<http::HttpClient> http,
                                                                    const SpectraAnalyzeOptions& options);

  std::string_view name() const override { return "spectra_analyze"; }
  size_t max_batch() const override { return kMaxBatch; }
  intel::LookupResult lookup(core::HashType type, const std::vector<std::string>& hashes) override;
  intel::ProviderCounters counters() const override { return channel_.counters(); }

 private:
  SpectraAnalyzeClient(std::shared_ptr<http::HttpClient> http, const SpectraAnalyzeOptions& options, std::string base);

  std::optional<core::Error> lookup_single(const std::string& hash, AnalyzeResponseParser& parser,
                                           std::map<std::string, intel::Verdict>& verdicts);
  std::optional<core::Error> lookup_list(core::HashType type, std::span<const std::string> hashes,
                                         AnalyzeResponseParser& parser,
                                         std::map<std::string, intel::Verdict>& verdicts);
  //! True when `url` (a `next` link) is on the configured scheme, host and port.
  bool same_origin(std::string_view url) const;
  http::Request make_request(std::string method, std::string url) const;

  std::string base_;    // scheme://host[:port][/path], no trailing slash
  std::string origin_;  // scheme://host[:port]
  core::SecretValue token_;
  std::string user_agent_;
  ProviderChannel channel_;
};

}  // namespace sb::rl
