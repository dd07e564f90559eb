// The fake ReversingLabs servers: strict request checks, answers from the sample table, scripted faults.
#include "support/fake_reversinglabs.hpp"

#include <httplib.h>
#include <simdjson.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "core/hash.hpp"
#include "core/hash_type.hpp"
#include "core/json_document.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"

namespace sb::test {
namespace {

constexpr std::string_view kIntelligenceSinglePrefix = "/api/databrowser/malware_presence/query/";
constexpr std::string_view kIntelligenceBulkPath = "/api/databrowser/malware_presence/bulk_query/json";
constexpr std::string_view kAnalyzeSamplesPrefix = "/api/samples/v3/";
constexpr std::string_view kAnalyzeClassificationSuffix = "/classification/";
constexpr std::string_view kAnalyzeListPath = "/api/samples/v2/list/";
constexpr size_t kMaxBulkHashes = 100;  // reversinglabs.md §1.2; the SA list is held to the same by our client
// Enough handler threads that a fixed latency does not serialise a benchmark's concurrent requests.
constexpr size_t kWorkerThreads = 64;
// Bounds how long the destructor can wait for an idle keep-alive connection of a client still alive.
constexpr time_t kKeepAliveSeconds = 1;
// cpp-httplib closes a connection after 5 requests by default; clients that pool connections should keep theirs.
constexpr size_t kKeepAliveMaxRequests = 10'000;
constexpr auto kStartTimeout = std::chrono::seconds(10);
// cpp-httplib compresses only the exact types "application/json" and "text/…"; with a charset parameter it does
// not, which matters because its default brotli level costs ~85 ms for a 100-entry bulk reply.
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kHttpOk = 200;
constexpr int kHttpBadRequest = 400;
constexpr int kHttpUnauthorized = 401;

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

//! The hash type `hash` is written in, or nullopt when it is not hex of a known length.
std::optional<core::HashType> hash_type_of_hex(std::string_view hash) {
  if (!is_hex(hash)) return std::nullopt;
  return core::hash_type_of(hash);
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[(group >> 18) & 0x3f]);
    out.push_back(kAlphabet[(group >> 12) & 0x3f]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 0x3f] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[group & 0x3f] : '=');
  }
  return out;
}

//! True when `query` holds exactly these keys, once each, with one of the allowed values.
bool query_is(std::string_view query, const std::map<std::string, std::set<std::string>>& allowed, bool all_required) {
  const auto fields = parse_form(query);
  std::set<std::string> seen;
  for (const auto& [key, value] : fields) {
    const auto rule = allowed.find(key);
    if (rule == allowed.end() || !rule->second.contains(value) || !seen.insert(key).second) return false;
  }
  return !all_required || seen.size() == allowed.size();
}

std::string intelligence_status(intel::Classification classification) {
  switch (classification) {
    case intel::Classification::kMalicious: return "MALICIOUS";
    case intel::Classification::kSuspicious: return "SUSPICIOUS";
    case intel::Classification::kGoodware: return "KNOWN";
    case intel::Classification::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string analyze_classification_name(intel::Classification classification) {
  return classification == intel::Classification::kUnknown ? ""
                                                           : std::string(intel::classification_name(classification));
}

double scanner_percent(const FakeSample& sample) {
  return sample.scanner_count > 0 ? 100.0 * sample.scanner_match / sample.scanner_count : 0.0;
}

//! One rl.malware_presence / rl.entries[] object, in the key order of file_reputation_report.json.
void write_presence(core::JsonWriter& w, const FakeSample* sample, std::string_view type, const std::string& hash) {
  w.begin_object();
  if (sample == nullptr || sample->classification == intel::Classification::kUnknown) {
    w.key("status").value("UNKNOWN").key(type).value(hash);
    w.key("query_hash").begin_object().key(type).value(hash).end_object();
    w.end_object();
    return;
  }
  w.key("status").value(intelligence_status(sample->classification)).key("sha1").value(sample->sha1);
  w.key("threat_level").value(sample->threat_level);
  if (!sample->threat_name.empty()) {
    // "Win32.Ransomware.Tox" → platform, type, family_name.
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      const auto dot = sample->threat_name.find('.', start);
      parts.push_back(sample->threat_name.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    w.key("classification").begin_object();
    w.key("platform").value(parts.size() > 0 ? parts[0] : "");
    w.key("type").value(parts.size() > 1 ? parts[1] : "");
    w.key("is_generic").value(false);
    w.key("family_name").value(parts.size() > 2 ? parts[2] : "");
    w.end_object();
  }
  w.key("scanner_percent").value(scanner_percent(*sample));
  if (!sample->threat_name.empty()) w.key("threat_name").value(sample->threat_name);
  w.key("scanner_match").value(sample->scanner_match).key("last_seen").value(sample->last_seen);
  w.key("reason").value(sample->reason).key("scanner_count").value(sample->scanner_count);
  w.key("query_hash").begin_object().key(type).value(hash).end_object();
  w.key("first_seen").value(sample->first_seen).key("sha256").value(sample->sha256);
  w.key("trust_factor").value(sample->trust_factor).key("md5").value(sample->md5);
  w.end_object();
}

//! One v2 list result with the requested fields (all the fake knows when none are named).
void write_list_result(core::JsonWriter& w, const FakeSample& sample, const std::vector<std::string>& fields) {
  static const std::vector<std::string> kAllFields = {"sha1",
                                                      "sha256",
                                                      "md5",
                                                      "classification",
                                                      "riskscore",
                                                      "classification_result",
                                                      "classification_reason",
                                                      "local_first_seen",
                                                      "local_last_seen",
                                                      "av_scanners_summary"};
  w.begin_object();
  for (const auto& field : fields.empty() ? kAllFields : fields) {
    if (field == "sha1") w.key(field).value(sample.sha1);
    if (field == "sha256") w.key(field).value(sample.sha256);
    if (field == "md5") w.key(field).value(sample.md5);
    if (field == "classification") w.key(field).value(analyze_classification_name(sample.classification));
    if (field == "riskscore") w.key(field).value(sample.risk_score);
    if (field == "classification_result") w.key(field).value(sample.threat_name);
    if (field == "classification_reason") w.key(field).value(sample.reason);
    if (field == "local_first_seen") w.key(field).value(sample.first_seen);
    if (field == "local_last_seen") w.key(field).value(sample.last_seen);
    if (field == "av_scanners_summary") {
      w.key(field).begin_object();
      w.key("scanner_count").value(sample.scanner_count).key("scanner_match").value(sample.scanner_match);
      w.key("scanner_percent").value(scanner_percent(sample));
      w.end_object();
    }
  }
  w.end_object();
}

}  // namespace

FakeSample FakeSample::generated(uint64_t seed, intel::Classification classification) {
  const std::string content = fmt::format("fake sample {}", seed);
  FakeSample sample;
  sample.md5 = core::hex_digest(core::Digest::kMd5, content);
  sample.sha1 = core::hex_digest(core::Digest::kSha1, content);
  sample.sha256 = core::hex_digest(core::Digest::kSha256, content);
  sample.classification = classification;
  sample.scanner_count = 47;
  switch (classification) {
    case intel::Classification::kMalicious:
      sample.threat_name = fmt::format("Win32.Trojan.Fake{}", seed);
      sample.threat_level = 5;
      sample.risk_score = 10;
      sample.scanner_match = 40;
      break;
    case intel::Classification::kSuspicious:
      sample.threat_name = fmt::format("Script.Downloader.Fake{}", seed);
      sample.threat_level = 2;
      sample.risk_score = 7;
      sample.scanner_match = 3;
      break;
    case intel::Classification::kGoodware:
      sample.trust_factor = 1;
      sample.risk_score = 1;
      sample.reason = "best_source";
      break;
    case intel::Classification::kUnknown: break;
  }
  return sample;
}

FakeSample FakeSample::tox_ransomware() {
  FakeSample sample;
  sample.md5 = "3133c2231fcee5d6b0b4c988a5201da1";
  sample.sha1 = "21841b32c6165b27dddbd4d6eb3a672defe54271";
  sample.sha256 = "2f6edf41016e97c58f9de01aa4cc66c9c7fe7dae23fe72e50a69cbd221f55346";
  sample.classification = intel::Classification::kMalicious;
  sample.threat_name = "Win32.Ransomware.Tox";
  sample.threat_level = 5;
  sample.trust_factor = 5;
  sample.risk_score = 10;
  sample.scanner_match = 44;
  sample.scanner_count = 47;
  return sample;
}

FakeSample FakeSample::delf_trojan() {
  FakeSample sample;
  sample.md5 = "a322205db6c3b1c451725b84f1d010cc";
  sample.sha1 = "a94775deb818a4d68635eeed3d16abc7f7b8bdd6";
  sample.sha256 = "d3d8091a287c8aee0ee5c54838540e714f22eef7cbeb65eb2b6af42116f5d5f2";
  sample.classification = intel::Classification::kMalicious;
  sample.threat_name = "Win32.Trojan.Delf";
  sample.threat_level = 5;
  sample.risk_score = 10;
  sample.scanner_match = 0;
  sample.scanner_count = 31;
  sample.reason = "Antivirus";
  sample.first_seen = "2022-12-19T11:39:11Z";
  sample.last_seen = "2022-12-19T11:46:40Z";
  return sample;
}

std::string FakeRequest::header(std::string_view name) const {
  const auto wanted = core::ascii_lower(name);
  for (const auto& [key, value] : headers) {
    if (core::ascii_lower(key) == wanted) return value;
  }
  return {};
}

std::vector<std::string> FakeRequest::query_values(std::string_view key) const {
  std::vector<std::string> values;
  for (auto& [name, value] : parse_form(query)) {
    if (name == key) values.push_back(std::move(value));
  }
  return values;
}

std::vector<std::string> FakeRequest::form_values(std::string_view key) const {
  std::vector<std::string> values;
  for (auto& [name, value] : parse_form(body)) {
    if (name == key) values.push_back(std::move(value));
  }
  return values;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const auto pair = text.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      fields.emplace_back(percent_decode(pair.substr(0, eq)),
                          eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return fields;
}

FakeReversingLabs::FakeReversingLabs(FakeProduct product, FakeReversingLabsOptions options)
    : product_(product),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()),
      latency_(options_.latency) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_timeout(kKeepAliveSeconds);
  server_->set_keep_alive_max_count(kKeepAliveMaxRequests);
  // Headers and body go out in separate writes; with Nagle on, the body waits for the client's delayed ACK
  // (~40 ms) on every reused connection.
  server_->set_tcp_nodelay(true);
  const auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    handle(request, response);
  };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    std::fprintf(stderr, "FakeReversingLabs: cannot bind a port on 127.0.0.1\n");
    std::abort();
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() before the listen loop runs would be lost and the destructor's join would hang.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::fprintf(stderr, "FakeReversingLabs: the server did not start\n");
      std::abort();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeReversingLabs::~FakeReversingLabs() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_->stop();
  thread_.join();
}

std::string FakeReversingLabs::base_url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

void FakeReversingLabs::add_sample(FakeSample sample) {
  const std::lock_guard lock(mutex_);
  const size_t index = samples_.size();
  for (const auto* hash : {&sample.md5, &sample.sha1, &sample.sha256}) {
    if (!hash->empty()) sample_index_[core::ascii_lower(*hash)] = index;
  }
  samples_.push_back(std::move(sample));
}

void FakeReversingLabs::fail_next(int count, int status, std::optional<int> retry_after_seconds) {
  const std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) scripts_.push_back(Script{status, retry_after_seconds, false, {}});
}

void FakeReversingLabs::answer_not_json_next(int count) {
  const std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) scripts_.push_back(Script{std::nullopt, std::nullopt, true, {}});
}

void FakeReversingLabs::delay_next(int count, std::chrono::milliseconds delay) {
  const std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) scripts_.push_back(Script{std::nullopt, std::nullopt, false, delay});
}

void FakeReversingLabs::set_latency(std::chrono::milliseconds latency) {
  const std::lock_guard lock(mutex_);
  latency_ = latency;
}

void FakeReversingLabs::drop_from_bulk(std::string hash) {
  const std::lock_guard lock(mutex_);
  dropped_.insert(core::ascii_lower(hash));
}

void FakeReversingLabs::set_next_origin(std::string origin) {
  const std::lock_guard lock(mutex_);
  next_origin_ = std::move(origin);
}

std::vector<FakeRequest> FakeReversingLabs::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

size_t FakeReversingLabs::request_count() const {
  const std::lock_guard lock(mutex_);
  return requests_.size();
}

void FakeReversingLabs::clear_requests() {
  const std::lock_guard lock(mutex_);
  requests_.clear();
}

void FakeReversingLabs::wait(std::chrono::milliseconds duration) {
  if (duration <= std::chrono::milliseconds::zero()) return;
  std::unique_lock lock(mutex_);
  stopping_cv_.wait_for(lock, duration, [this] { return stopping_; });
}

std::optional<FakeReversingLabs::Script> FakeReversingLabs::next_script() {
  const std::lock_guard lock(mutex_);
  if (scripts_.empty()) return std::nullopt;
  Script script = scripts_.front();
  scripts_.pop_front();
  return script;
}

const FakeSample* FakeReversingLabs::find_sample(const std::string& hash) const {
  const auto found = sample_index_.find(core::ascii_lower(hash));
  return found == sample_index_.end() ? nullptr : &samples_[found->second];
}

void FakeReversingLabs::handle(const httplib::Request& request, httplib::Response& response) {
  FakeRequest recorded;
  recorded.method = request.method;
  recorded.path = request.path;
  if (const auto question = request.target.find('?'); question != std::string::npos) {
    recorded.query = request.target.substr(question + 1);
  }
  for (const auto& [name, value] : request.headers) {
    // cpp-httplib adds the socket addresses as pseudo-headers; the client never sent them.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT") continue;
    recorded.headers.emplace_back(name, value);
  }
  recorded.body = request.body;
  std::chrono::milliseconds latency;
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(recorded);
    latency = latency_;
  }
  wait(latency);

  const auto script = next_script();
  Reply reply;
  if (script && script->status) {
    reply = error(*script->status, fmt::format("scripted {}", *script->status));
    if (script->retry_after_seconds) response.set_header("Retry-After", std::to_string(*script->retry_after_seconds));
  } else if (script && script->not_json) {
    response.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
    response.status = kHttpOk;
    return;
  } else {
    if (script) wait(script->delay);
    const std::lock_guard lock(mutex_);
    reply = product_ == FakeProduct::kSpectraIntelligence ? intelligence(recorded) : analyze(recorded);
  }
  response.status = reply.status;
  response.set_content(reply.body, kJsonType);
}

FakeReversingLabs::Reply FakeReversingLabs::error(int status, std::string_view message) const {
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key(product_ == FakeProduct::kSpectraIntelligence ? "error" : "detail").value(message);
  w.end_object();
  return {status, std::move(body)};
}

FakeReversingLabs::Reply FakeReversingLabs::intelligence(const FakeRequest& request) const {
  if (request.header("Authorization") != "Basic " + base64(options_.username + ":" + options_.password)) {
    return error(kHttpUnauthorized, "The provided credentials are invalid");
  }
  const std::string_view path = request.path;
  if (request.method == "GET" && path.starts_with(kIntelligenceSinglePrefix)) {
    const auto rest = path.substr(kIntelligenceSinglePrefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return error(kHttpBadRequest, "expected query/{hash_type}/{hash}");
    return intelligence_single(request, rest.substr(0, slash), std::string(rest.substr(slash + 1)));
  }
  if (request.method == "POST" && path == kIntelligenceBulkPath) return intelligence_bulk(request);
  return error(kHttpBadRequest, fmt::format("the fake has no route {} {}", request.method, request.path));
}

FakeReversingLabs::Reply FakeReversingLabs::intelligence_single(const FakeRequest& request, std::string_view type,
                                                                const std::string& hash) const {
  if (!query_is(request.query, {{"extended", {"true"}}, {"show_hashes", {"true"}}, {"format", {"json"}}}, true)) {
    return error(kHttpBadRequest, "the fake implements exactly ?extended=true&show_hashes=true&format=json");
  }
  const auto actual = hash_type_of_hex(hash);
  if (!actual || core::hash_type_name(*actual) != type) {
    return error(kHttpBadRequest, fmt::format("{} is not a {} hash", hash, type));
  }
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("rl").begin_object().key("malware_presence");
  write_presence(w, find_sample(hash), type, hash);
  w.end_object().end_object();
  return {kHttpOk, std::move(body)};
}

FakeReversingLabs::Reply FakeReversingLabs::intelligence_bulk(const FakeRequest& request) const {
  if (!query_is(request.query, {{"extended", {"true"}}, {"show_hashes", {"true"}}}, true)) {
    return error(kHttpBadRequest, "the fake implements exactly ?extended=true&show_hashes=true");
  }
  if (!request.header("Content-Type").starts_with("application/json")) {
    return error(kHttpBadRequest, "the bulk body must be application/json");
  }
  simdjson::dom::parser parser;
  auto root = core::parse_json(parser, request.body);
  std::string_view type;
  simdjson::dom::array hashes;
  if (!root || root->at_pointer("/rl/query/hash_type").get_string().get(type) != simdjson::SUCCESS ||
      root->at_pointer("/rl/query/hashes").get_array().get(hashes) != simdjson::SUCCESS) {
    return error(kHttpBadRequest, R"(expected {"rl":{"query":{"hash_type":…,"hashes":[…]}}})");
  }
  if (hashes.size() == 0 || hashes.size() > kMaxBulkHashes) {
    return error(kHttpBadRequest, fmt::format("{} hashes; 1 to {} allowed", hashes.size(), kMaxBulkHashes));
  }
  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("rl").begin_object().key("entries").begin_array();
  for (const auto element : hashes) {
    std::string_view hash;
    if (element.get_string().get(hash) != simdjson::SUCCESS) return error(kHttpBadRequest, "hashes must be strings");
    const auto actual = hash_type_of_hex(hash);
    if (!actual || core::hash_type_name(*actual) != type) {
      return error(kHttpBadRequest, fmt::format("{} is not a {} hash: one hash type per request", hash, type));
    }
    const std::string key(hash);
    if (dropped_.contains(core::ascii_lower(key))) continue;
    write_presence(w, find_sample(key), type, key);
  }
  w.end_array().end_object().end_object();
  return {kHttpOk, std::move(body)};
}

FakeReversingLabs::Reply FakeReversingLabs::analyze(const FakeRequest& request) const {
  if (request.header("Authorization") != "Token " + options_.token) {
    return error(kHttpUnauthorized, "Invalid token.");
  }
  const std::string_view path = request.path;
  if (request.method == "GET" && path.starts_with(kAnalyzeSamplesPrefix) &&
      path.ends_with(kAnalyzeClassificationSuffix)) {
    const auto hash = path.substr(kAnalyzeSamplesPrefix.size(),
                                  path.size() - kAnalyzeSamplesPrefix.size() - kAnalyzeClassificationSuffix.size());
    return analyze_classification(request, std::string(hash));
  }
  if (request.method == "POST" && path == kAnalyzeListPath) return analyze_list(request);
  return error(kHttpBadRequest, fmt::format("the fake has no route {} {}", request.method, request.path));
}

FakeReversingLabs::Reply FakeReversingLabs::analyze_classification(const FakeRequest& request,
                                                                   const std::string& hash) const {
  if (!query_is(request.query, {{"localonly", {"0", "1"}}, {"av_scanners", {"0", "1"}}}, false)) {
    return error(kHttpBadRequest, "allowed: localonly=0|1, av_scanners=0|1");
  }
  const auto local_only = request.query_values("localonly");
  const auto av_scanners = request.query_values("av_scanners");
  const bool with_av = !av_scanners.empty() && av_scanners.front() == "1";
  if (with_av && !local_only.empty() && local_only.front() == "1") {
    return error(kHttpBadRequest, "localonly cannot be combined with av_scanners");
  }
  if (!hash_type_of_hex(hash)) return error(kHttpBadRequest, fmt::format("{} is not an md5/sha1/sha256 hash", hash));
  const FakeSample* sample = find_sample(hash);
  if (sample == nullptr) return {options_.not_found_status, R"({"message": "Hash not found"})"};

  std::string body;
  core::JsonWriter w(body);
  w.begin_object();
  w.key("classification").value(analyze_classification_name(sample->classification));
  w.key("riskscore").value(sample->risk_score);
  w.key("first_seen").value(sample->first_seen).key("last_seen").value(sample->last_seen);
  w.key("classification_result").value(sample->threat_name);
  w.key("classification_reason").value(sample->reason);
  w.key("classification_origin").null();
  w.key("cloud_last_lookup").value(sample->last_seen).key("data_source").value("LOCAL");
  w.key("sha1").value(sample->sha1).key("sha256").value(sample->sha256).key("md5").value(sample->md5);
  if (with_av) {
    // The fake has no separate vendor numbers; it reports scanners as vendors.
    const double percent = scanner_percent(*sample);
    w.key("av_scanners").begin_object();
    w.key("scanner_count").value(sample->scanner_count).key("scanner_match").value(sample->scanner_match);
    w.key("scanner_percent").value(percent);
    w.key("vendor_count").value(sample->scanner_count).key("vendor_match").value(sample->scanner_match);
    w.key("vendor_percent").value(percent);
    w.key("antivirus").begin_object();
    w.key("vendor_match").value(sample->scanner_match).key("scanner_match").value(sample->scanner_match);
    w.key("vendor_count").value(sample->scanner_count).key("scanner_count").value(sample->scanner_count);
    w.end_object().end_object();
  }
  w.end_object();
  return {kHttpOk, std::move(body)};
}

FakeReversingLabs::Reply FakeReversingLabs::analyze_list(const FakeRequest& request) const {
  const auto query = parse_form(request.query);
  size_t page = 1;
  for (const auto& [key, value] : query) {
    if (key != "page" || value.empty() ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) || value.size() > 6) {
      return error(kHttpBadRequest, "the list takes only ?page=N");
    }
    page = std::stoul(value);
  }
  if (page == 0) return error(kHttpBadRequest, "pages count from 1");
  if (!request.header("Content-Type").starts_with("application/x-www-form-urlencoded")) {
    return error(kHttpBadRequest, "the list body must be application/x-www-form-urlencoded");
  }
  std::vector<std::string> hashes;
  std::vector<std::string> fields;
  for (auto& [key, value] : parse_form(request.body)) {
    if (key == "hash_values") {
      hashes.push_back(std::move(value));
    } else if (key == "fields") {
      fields.push_back(std::move(value));
    } else {
      return error(kHttpBadRequest, fmt::format("unexpected form field {}", key));
    }
  }
  if (hashes.empty() || hashes.size() > kMaxBulkHashes) {
    return error(kHttpBadRequest, fmt::format("{} hash_values; 1 to {} allowed", hashes.size(), kMaxBulkHashes));
  }
  const auto type = hash_type_of_hex(hashes.front());
  for (const auto& hash : hashes) {
    if (!type || hash_type_of_hex(hash) != type) {
      return error(kHttpBadRequest, fmt::format("{}: one hash type of md5/sha1/sha256 per request", hash));
    }
  }

  std::vector<const FakeSample*> found;
  for (const auto& hash : hashes) {
    const FakeSample* sample = find_sample(hash);
    if (sample == nullptr || dropped_.contains(core::ascii_lower(hash))) continue;
    if (std::find(found.begin(), found.end(), sample) == found.end()) found.push_back(sample);
  }
  const size_t page_size = options_.page_size == 0 ? std::max<size_t>(found.size(), 1) : options_.page_size;
  const size_t first = std::min(found.size(), (page - 1) * page_size);
  const size_t last = std::min(found.size(), first + page_size);
  const std::string origin = next_origin_.empty() ? base_url() : next_origin_;

  std::string body;
  core::JsonWriter w(body);
  w.begin_object().key("count").value(static_cast<int64_t>(found.size()));
  if (last < found.size()) {
    w.key("next").value(fmt::format("{}{}?page={}", origin, kAnalyzeListPath, page + 1));
  } else {
    w.key("next").null();
  }
  if (page > 1) {
    w.key("previous").value(fmt::format("{}{}?page={}", origin, kAnalyzeListPath, page - 1));
  } else {
    w.key("previous").null();
  }
  w.key("results").begin_array();
  for (size_t i = first; i < last; ++i) write_list_result(w, *found[i], fields);
  w.end_array().end_object();
  return {kHttpOk, std::move(body)};
}

}  // namespace sb::test
