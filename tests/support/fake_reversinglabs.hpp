// Fake Spectra Intelligence and Spectra Analyze servers on 127.0.0.1, for client, pipeline and benchmark tests.
//
// The fake follows reversinglabs.md §1–2 and answers in the shapes of the real samples:
//
//   Spectra Intelligence (FakeProduct::kSpectraIntelligence), HTTP Basic `username:password`:
//     GET  /api/databrowser/malware_presence/query/{md5|sha1|sha256}/{hash}?extended=true&show_hashes=true&format=json
//          → 200 {"rl":{"malware_presence":{…}}}; status UNKNOWN for hashes not in the table
//     POST /api/databrowser/malware_presence/bulk_query/json?extended=true&show_hashes=true
//          body {"rl":{"query":{"hash_type":"sha1","hashes":[…]}}} (1–100 hashes, all of hash_type)
//          → 200 {"rl":{"entries":[…]}}, one entry per hash (UNKNOWN ones included) except dropped ones
//   Spectra Analyze (FakeProduct::kSpectraAnalyze), `Authorization: Token <token>`:
//     GET  /api/samples/v3/{hash}/classification/?localonly=0|1&av_scanners=0|1
//          → 200 {classification, riskscore, …, av_scanners{…} when av_scanners=1};
//            {"message":"Hash not found"} with options.not_found_status for hashes not in the table
//     POST /api/samples/v2/list/[?page=N]  form hash_values=…(1–100, one type)&fields=…
//          → 200 {"count","next","previous","results":[only the requested fields]}, paged by options.page_size
//
// Anything else is refused so that a client bug is loud: a wrong credential → 401 with a JSON error body; a
// wrong query parameter, body, content type, more than 100 hashes or mixed hash types → 400; an unknown route
// → 400 naming it. Error bodies ({"error": …} for Spectra Intelligence, DRF's {"detail": …} for Spectra Analyze)
// are plausible, not verbatim: no public sample of them exists.
//
// Scripted behaviour is consumed one request at a time in arrival order (fail_next, answer_not_json_next,
// delay_next); set_latency and drop_from_bulk last until changed. Every request is recorded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/log.hpp"
#include "intel/verdict.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sb::test {

//! A file the fake knows; each product answers for it in its own vocabulary (found by md5, sha1 or sha256).
struct FakeSample {
  std::string md5;
  std::string sha1;
  std::string sha256;
  intel::Classification classification = intel::Classification::kMalicious;  // SI status / SA classification
  std::string threat_name;  // "Win32.Ransomware.Tox"; SI's classification{platform,type,family_name} is cut from it
  int threat_level = 0;     // SI: 1–5 for suspicious and malicious
  int trust_factor = 5;     // SI: 0 (best) – 5
  int risk_score = 0;       // SA: riskscore 0–10
  int scanner_match = 0;    // AV scanners that detect it…
  int scanner_count = 0;    // …of this many
  std::string reason = "antivirus";
  std::string first_seen = "2015-05-30T22:04:00";
  std::string last_seen = "2021-04-19T11:10:35";

  //! Distinct, deterministic hashes (digests of "fake sample <seed>") and fields typical of `classification`.
  static FakeSample generated(uint64_t seed, intel::Classification classification);
  //! The Win32.Ransomware.Tox file of samples/spectra-intelligence/file_reputation_report.json.
  static FakeSample tox_ransomware();
  //! The Win32.Trojan.Delf archive of samples/spectra-analyze/a1000_get_classification_response.json.
  static FakeSample delf_trojan();
};

//! One request as the fake received it.
struct FakeRequest {
  std::string method;
  std::string path;   // without the query
  std::string query;  // raw, without the '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  //! The first header called `name` (case-insensitive); "" when absent.
  std::string header(std::string_view name) const;
  //! Every value of `key` in the query string / the form-encoded body, in order.
  std::vector<std::string> query_values(std::string_view key) const;
  std::vector<std::string> form_values(std::string_view key) const;
};

//! Decodes "a=1&b=%2F&a=3" (query strings and application/x-www-form-urlencoded bodies), keeping order.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

enum class FakeProduct { kSpectraIntelligence, kSpectraAnalyze };

struct FakeReversingLabsOptions {
  std::string username = "u/fake/analyst";  // Spectra Intelligence Basic credentials
  std::string password = "fake-si-password-7f3a";
  std::string token = "fake-sa-token-91c4";  // Spectra Analyze token
  std::chrono::milliseconds latency{0};      // added to every response (benchmarks use e.g. 50 ms)
  size_t page_size = 0;                      // SA list: results per page; 0 = all on one page
  int not_found_status = 404;                // SA classification of a hash not in the table (200 or 404)
};

class FakeReversingLabs {
 public:
  //! Binds a free port on 127.0.0.1 and starts serving; aborts when no port can be bound.
  explicit FakeReversingLabs(FakeProduct product, FakeReversingLabsOptions options = {});
  //! Wakes delayed responses and stops. Idle keep-alive connections of a client that is still alive can hold
  //! this up for about a second; destroy the client first.
  ~FakeReversingLabs();
  FakeReversingLabs(const FakeReversingLabs&) = delete;
  FakeReversingLabs& operator=(const FakeReversingLabs&) = delete;

  //! "http://127.0.0.1:<port>", the base_url for the client.
  std::string base_url() const;
  const FakeReversingLabsOptions& options() const { return options_; }

  void add_sample(FakeSample sample);

  //! The next `count` requests get `status` (with Retry-After when given) and an error body.
  void fail_next(int count, int status, std::optional<int> retry_after_seconds = std::nullopt);
  //! The next `count` requests get 200 with an HTML body.
  void answer_not_json_next(int count);
  //! The next `count` requests are answered normally after `delay` (a slow server).
  void delay_next(int count, std::chrono::milliseconds delay);
  //! Every response waits `latency` first (replaces options.latency).
  void set_latency(std::chrono::milliseconds latency);
  //! Bulk and list replies leave `hash` out as if the service had not answered for it.
  void drop_from_bulk(std::string hash);
  //! SA: `next` links name this origin ("https://elsewhere.example") instead of base_url().
  void set_next_origin(std::string origin);

  std::vector<FakeRequest> requests() const;
  size_t request_count() const;
  void clear_requests();

 private:
  struct Script {
    std::optional<int> status;  // a failure status, or answer normally
    std::optional<int> retry_after_seconds;
    bool not_json = false;
    std::chrono::milliseconds delay{0};
  };
  struct Reply {
    int status = 200;
    std::string body;
  };

  void handle(const httplib::Request& request, httplib::Response& response);
  //! Sleeps up to `duration`, returning early when the fake is being destroyed.
  void wait(std::chrono::milliseconds duration);
  std::optional<Script> next_script();
  const FakeSample* find_sample(const std::string& hash) const;

  Reply intelligence(const FakeRequest& request) const;
  Reply intelligence_single(const FakeRequest& request, std::string_view type, const std::string& hash) const;
  Reply intelligence_bulk(const FakeRequest& request) const;
  Reply analyze(const FakeRequest& request) const;
  Reply analyze_classification(const FakeRequest& request, const std::string& hash) const;
  Reply analyze_list(const FakeRequest& request) const;
  Reply error(int status, std::string_view message) const;

  FakeProduct product_;
  FakeReversingLabsOptions options_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
  std::thread thread_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::vector<FakeSample> samples_;
  std::map<std::string, size_t> sample_index_;  // every hash of every sample → samples_ index
  std::deque<Script> scripts_;
  std::set<std::string> dropped_;
  std::string next_origin_;
  std::chrono::milliseconds latency_{0};
  std::vector<FakeRequest> requests_;
};

}  // namespace sb::test
