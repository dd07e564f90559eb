// Requests per reversinglabs.md §1.1–1.2: HTTP Basic auth, extended=true&show_hashes=true, bulk body
// {"rl":{"query":{"hash_type":…,"hashes":[…]}}} with one hash type, entries matched back through query_hash.
#include "rl/spectra_intelligence_client.hpp"

#include <fmt/format.h>

#include <cassert>
#include <utility>

#include "core/base64.hpp"
#include "core/json_writer.hpp"
#include "core/service_url.hpp"

namespace sb::rl {
namespace {

constexpr std::string_view kSinglePath = "/api/databrowser/malware_presence/query/";
constexpr std::string_view kSingleQuery = "?extended=true&show_hashes=true&format=json";
constexpr std::string_view kBulkPath = "/api/databrowser/malware_presence/bulk_query/json";
constexpr std::string_view kBulkQuery = "?extended=true&show_hashes=true";

constexpr ProviderHints kHints{
    "spectra_intelligence",
    "the username/password in [scan.spectra_intelligence] were refused",
    "the account lacks the right to use Malware Presence (TCA-0101)",
};

std::string bulk_body(core::HashType type, std::span<const std::string> hashes) {
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("rl").begin_object().key("query").begin_object();
  w.key("hash_type").value(core::hash_type_name(type)).key("hashes").begin_array();
  for (const auto& hash : hashes) w.value(hash);
  w.end_array().end_object().end_object().end_object();
  return body;
}

}  // namespace

core::Result<std::unique_ptr<SpectraIntelligenceClient>> SpectraIntelligenceClient::create(
    std::shared_ptr<http::HttpClient> http, const SpectraIntelligenceOptions& options) {
  assert(http != nullptr);
  auto url = core::parse_service_url(options.base_url, "scan.spectra_intelligence.url");
  if (!url) return url.error();
  if (options.username.empty() || options.password.empty()) {
    return core::make_error("spectra_intelligence: [scan.spectra_intelligence] needs a username and a password");
  }
  if (options.requests_per_second < 0) {
    return core::make_error("spectra_intelligence: [scan.spectra_intelligence] requests_per_second must be >= 0");
  }
  return std::unique_ptr<SpectraIntelligenceClient>(
      new SpectraIntelligenceClient(std::move(http), options, std::move(url->base)));
}

SpectraIntelligenceClient::SpectraIntelligenceClient(std::shared_ptr<http::HttpClient> http,
                                                     const SpectraIntelligenceOptions& options, std::string base)
    : base_(std::move(base)),
      username_(options.username),
      password_(options.password),
      user_agent_(options.user_agent),
      channel_(std::move(http), options.requests_per_second, kHints, options.stop) {}

intel::LookupResult SpectraIntelligenceClient::lookup(core::HashType type, const std::vector<std::string>& hashes) {
  // One parser per call: simdjson parsers are not thread-safe and lookup() is called concurrently.
  IntelligenceResponseParser parser;
  return channel_.lookup_in_batches(
      type, hashes, kMaxBatch,
      [&](std::span<const std::string> batch, std::map<std::string, intel::Verdict>& verdicts) {
        return batch.size() == 1 ? lookup_single(type, batch.front(), parser, verdicts)
                                 : lookup_bulk(type, batch, parser, verdicts);
      });
}

std::optional<core::Error> SpectraIntelligenceClient::lookup_single(core::HashType type, const std::string& hash,
                                                                    IntelligenceResponseParser& parser,
                                                                    std::map<std::string, intel::Verdict>& verdicts) {
  const auto path = fmt::format("{}{}/{}", kSinglePath, core::hash_type_name(type), hash);
  const auto request_name = fmt::format("GET {}{}", base_, path);
  auto reply = channel_.send(make_request("GET", path + std::string(kSingleQuery)), request_name);
  if (auto* failure = std::get_if<core::Error>(&reply)) return std::move(*failure);
  const auto& response = std::get<http::Response>(reply);
  if (response.status == http::kNotFound) return std::nullopt;  // "no reference was found for this input"

  auto verdict = parser.parse_single(response.body, hash);
  if (!verdict) return channel_.bad_response(request_name, verdict.error().message);
  verdicts.insert_or_assign(hash, std::move(verdict).value());
  return std::nullopt;
}

std::optional<core::Error> SpectraIntelligenceClient::lookup_bulk(core::HashType type,
                                                                  std::span<const std::string> hashes,
                                                                  IntelligenceResponseParser& parser,
                                                                  std::map<std::string, intel::Verdict>& verdicts) {
  assert(hashes.size() <= kMaxBatch);
  const auto request_name =
      fmt::format("POST {}{} ({} {} hashes)", base_, kBulkPath, hashes.size(), core::hash_type_name(type));
  auto request = make_request("POST", std::string(kBulkPath) + std::string(kBulkQuery));
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = bulk_body(type, hashes);
  auto reply = channel_.send(request, request_name);
  if (auto* failure = std::get_if<core::Error>(&reply)) return std::move(*failure);
  const auto& response = std::get<http::Response>(reply);
  // A batch endpoint never answers 404 for a hash it does not know (it leaves it out): a 404 means the URL
  // does not lead to the service, and reading it as "all unknown" would hide that.
  if (response.status == http::kNotFound) {
    return channel_.bad_response(request_name,
                                 "404 Not Found: is scan.spectra_intelligence.url the service's base URL?");
  }

  auto found = parser.parse_bulk(response.body, core::hash_type_name(type));
  if (!found) return channel_.bad_response(request_name, found.error().message);
  // Only answers to what was asked: an entry for another hash must not become a verdict.
  for (const auto& hash : hashes) {
    auto entry = found->find(hash);
    if (entry != found->end()) verdicts.insert_or_assign(hash, std::move(entry->second));
  }
  return std::nullopt;
}

http::Request SpectraIntelligenceClient::make_request(std::string method, std::string_view path_and_query) const {
  http::Request request;
  request.method = std::move(method);
  request.url = base_;
  request.url += path_and_query;
  // Built per request: the password may have been rotated since.
  request.headers.push_back({"Authorization", "Basic " + core::base64_encode(username_ + ":" + password_.get())});
  request.headers.push_back({"Accept", "application/json"});
  if (!user_agent_.empty()) request.headers.push_back({"User-Agent", user_agent_});
  return request;
}

}  // namespace sb::rl
