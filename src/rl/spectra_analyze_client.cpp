// Requests per reversinglabs.md §2.1–2.2: "Authorization: Token …", classification v3 with localonly=0 and
// av_scanners=1, the v2 list form-encoded with repeated hash_values= and fields= keys, DRF `next` pages followed.
#include "rl/spectra_analyze_client.hpp"

#include <fmt/format.h>

#include <array>
#include <cassert>
#include <utility>

#include "core/form_encoding.hpp"
#include "core/json_document.hpp"
#include "core/service_url.hpp"

namespace sb::rl {
namespace {

constexpr std::string_view kClassificationPath = "/api/samples/v3/";
constexpr std::string_view kClassificationSuffix = "/classification/";
constexpr std::string_view kClassificationQuery = "?localonly=0&av_scanners=1";
constexpr std::string_view kListPath = "/api/samples/v2/list/";
// What AnalyzeResponseParser::parse_list reads, sent as repeated `fields=` keys so the reply carries no more.
constexpr std::array<std::string_view, 10> kListFields = {"sha1",
                                                          "sha256",
                                                          "md5",
                                                          "classification",
                                                          "riskscore",
                                                          "classification_result",
                                                          "classification_reason",
                                                          "local_first_seen",
                                                          "local_last_seen",
                                                          "av_scanners_summary"};
// 100 hashes cannot need more pages than this; a longer chain is a loop or a misbehaving appliance.
constexpr int kMaxPages = 100;

constexpr ProviderHints kHints{
    "spectra_analyze",
    "the token in [scan.spectra_analyze] was refused",
    "the token lacks the right to read samples on this Spectra Analyze appliance",
};

std::string list_body(std::span<const std::string> hashes) {
  std::string body;
  for (const auto& hash : hashes) core::append_form_field(body, "hash_values", hash);
  for (const auto field : kListFields) core::append_form_field(body, "fields", field);
  return body;
}

//! The list reply's `next` link: empty when null or absent.
core::Result<std::string> next_link(const std::string& body) {
  simdjson::dom::parser parser;
  auto root = core::parse_json(parser, body);
  if (!root) return root.error();
  simdjson::dom::element next;
  if ((*root)["next"].get(next) != simdjson::SUCCESS || next.is_null()) return std::string();
  std::string_view url;
  if (next.get_string().get(url) != simdjson::SUCCESS) return core::make_error("`next` is not a string");
  return std::string(url);
}

//! "scheme://host[:port]" of a base URL without a trailing slash.
std::string origin_of(std::string_view base) {
  const auto authority = base.find("://");
  if (authority == std::string_view::npos) return std::string(base);
  const auto path = base.find('/', authority + 3);
  return std::string(base.substr(0, path));
}

}  // namespace

core::Result<std::unique_ptr<SpectraAnalyzeClient>> SpectraAnalyzeClient::create(std::shared_ptr<http::HttpClient> http,
                                                                                 const SpectraAnalyzeOptions& options) {
  assert(http != nullptr);
  if (options.base_url.empty()) {
    return core::make_error("spectra_analyze: [scan.spectra_analyze] needs url (the appliance's address)");
  }
  auto url = core::parse_service_url(options.base_url, "scan.spectra_analyze.url");
  if (!url) return url.error();
  if (options.token.empty()) return core::make_error("spectra_analyze: [scan.spectra_analyze] needs a token");
  if (options.requests_per_second < 0) {
    return core::make_error("spectra_analyze: [scan.spectra_analyze] requests_per_second must be >= 0");
  }
  return std::unique_ptr<SpectraAnalyzeClient>(
      new SpectraAnalyzeClient(std::move(http), options, std::move(url->base)));
}

SpectraAnalyzeClient::SpectraAnalyzeClient(std::shared_ptr<http::HttpClient> http, const SpectraAnalyzeOptions& options,
                                           std::string base)
    : base_(std::move(base)),
      origin_(origin_of(base_)),
      token_(options.token),
      user_agent_(options.user_agent),
      channel_(std::move(http), options.requests_per_second, kHints, options.stop) {}

intel::LookupResult SpectraAnalyzeClient::lookup(core::HashType type, const std::vector<std::string>& hashes) {
  // One parser per call: simdjson parsers are not thread-safe and lookup() is called concurrently.
  AnalyzeResponseParser parser;
  return channel_.lookup_in_batches(
      type, hashes, kMaxBatch,
      [&](std::span<const std::string> batch, std::map<std::string, intel::Verdict>& verdicts) {
        return batch.size() == 1 ? lookup_single(batch.front(), parser, verdicts)
                                 : lookup_list(type, batch, parser, verdicts);
      });
}

std::optional<core::Error> SpectraAnalyzeClient::lookup_single(const std::string& hash, AnalyzeResponseParser& parser,
                                                               std::map<std::string, intel::Verdict>& verdicts) {
  const auto url = fmt::format("{}{}{}{}", base_, kClassificationPath, hash, kClassificationSuffix);
  const auto request_name = "GET " + url;
  auto reply = channel_.send(make_request("GET", url + std::string(kClassificationQuery)), request_name);
  if (auto* failure = std::get_if<core::Error>(&reply)) return std::move(*failure);
  const auto& response = std::get<http::Response>(reply);
  // The appliance answers "Hash not found" for samples it does not hold; a bare 404 means the same.
  if (response.status == http::kNotFound) return std::nullopt;

  auto verdict = parser.parse_classification(response.body, hash);
  if (!verdict) return channel_.bad_response(request_name, verdict.error().message);
  verdicts.insert_or_assign(hash, std::move(verdict).value());
  return std::nullopt;
}

std::optional<core::Error> SpectraAnalyzeClient::lookup_list(core::HashType type, std::span<const std::string> hashes,
                                                             AnalyzeResponseParser& parser,
                                                             std::map<std::string, intel::Verdict>& verdicts) {
  assert(hashes.size() <= kMaxBatch);
  const auto body = list_body(hashes);
  std::string url = base_ + std::string(kListPath);
  for (int page = 1;; ++page) {
    if (page > kMaxPages) {
      return channel_.bad_response(
          fmt::format("POST {}{}", base_, kListPath),
          fmt::format("more than {} pages of results for {} hashes", kMaxPages, hashes.size()));
    }
    const auto request_name = fmt::format("POST {} ({} {} hashes, page {})", url.substr(0, url.find('?')),
                                          hashes.size(), core::hash_type_name(type), page);
    auto request = make_request("POST", url);
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.body = body;
    auto reply = channel_.send(request, request_name);
    if (auto* failure = std::get_if<core::Error>(&reply)) return std::move(*failure);
    const auto& response = std::get<http::Response>(reply);
    // A batch endpoint never answers 404 for a hash it does not know (it leaves it out): a 404 means the URL
    // does not lead to the service, and reading it as "all unknown" would hide that.
    if (response.status == http::kNotFound) {
      return channel_.bad_response(request_name, "404 Not Found: is scan.spectra_analyze.url the service's base URL?");
    }

    auto found = parser.parse_list(response.body, core::hash_type_name(type));
    if (!found) return channel_.bad_response(request_name, found.error().message);
    // Only answers to what was asked: a result for another hash must not become a verdict.
    for (const auto& hash : hashes) {
      auto entry = found->find(hash);
      if (entry != found->end()) verdicts.insert_or_assign(hash, std::move(entry->second));
    }

    auto next = next_link(response.body);
    if (!next) return channel_.bad_response(request_name, next.error().message);
    if (next->empty()) return std::nullopt;
    if (next->starts_with('/')) *next = origin_ + *next;  // DRF links are absolute, but a relative one is clear
    // The token goes only to the configured appliance, whatever host a `next` link names.
    if (!same_origin(*next)) {
      return channel_.bad_response(
          request_name,
          fmt::format("the next page is on another host ({}); the token is not sent there", origin_of(*next)));
    }
    url = std::move(next).value();
  }
}

bool SpectraAnalyzeClient::same_origin(std::string_view url) const {
  if (url.substr(0, origin_.size()) != origin_) return false;
  // "https://a1000.example.com.evil.example" shares the prefix but not the host.
  return url.size() == origin_.size() || url[origin_.size()] == '/' || url[origin_.size()] == '?';
}

http::Request SpectraAnalyzeClient::make_request(std::string method, std::string url) const {
  http::Request request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers.push_back({"Authorization", "Token " + token_.get()});
  request.headers.push_back({"Accept", "application/json"});
  if (!user_agent_.empty()) request.headers.push_back({"User-Agent", user_agent_});
  return request;
}

}  // namespace sb::rl
