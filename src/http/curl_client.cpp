// The libcurl HttpClient: pooled easy handles (connection reuse), verified TLS, retries with backoff, redacted logs.
#include <curl/curl.h>

#include <cstdlib>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/backoff.hpp"
#include "core/log.hpp"
#include "core/prng.hpp"
#include "core/stop.hpp"
#include "core/text.hpp"
#include "http/http_client.hpp"
#include "http/redact.hpp"

namespace sb::http {
namespace {

using std::chrono::milliseconds;

//! No API we call answers with more; a larger body is a misbehaving server, not something to buffer.
constexpr size_t kMebibyte = size_t{1024} * 1024;
constexpr size_t kMaxResponseBytes = 64 * kMebibyte;
//! Idle handles kept for reuse. More threads than this at once still work; their extra handles are freed.
constexpr size_t kMaxIdleHandles = 32;
//! CURLOPT_SSL_VERIFYHOST: 2 = the certificate must name the host we connect to.
constexpr long kVerifyHostName = 2;
constexpr std::array<std::string_view, 5> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

//! curl_global_init is not thread-safe and must run once before any other libcurl call.
CURLcode global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

//! What one try produced: a response, or a transport failure in libcurl's words.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string error;
  bool body_too_large = false;
  Response response;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const size_t bytes = size * count;
  if (attempt->response.body.size() + bytes > kMaxResponseBytes) {
    attempt->body_too_large = true;
    return 0;  // makes curl_easy_perform fail with CURLE_WRITE_ERROR
  }
  attempt->response.body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = static_cast<Attempt*>(user)->response.headers;
  const size_t bytes = size * count;
  const std::string_view raw(data, bytes);
  const std::string_view line = core::trim(raw);
  if (line.starts_with("HTTP/")) {
    // A new status line starts a new header block: the headers of a 100 Continue or of a proxy's CONNECT
    // answer are not the final response's.
    headers.clear();
  } else if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) {
    // Obsolete line folding continues the previous header's value.
    if (!headers.empty() && !line.empty()) {
      headers.back().value += ' ';
      headers.back().value += line;
    }
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    headers.push_back(
        Header{std::string(core::trim(line.substr(0, colon))), std::string(core::trim(line.substr(colon + 1)))});
  }
  return bytes;
}

//! Failures where the server may well answer the next try: it could not be reached, went away or was slow.
//! Certificate and protocol errors are not retried; they will fail the same way again.
bool retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:  // also a reset in the middle of the handshake
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return true;
    default: return false;
  }
}

//! "Name: value" as curl wants it; "Name;" sends a header with an empty value ("Name:" would remove it).
HeaderList build_header_list(const Headers& headers) {
  curl_slist* list = nullptr;
  for (const auto& header : headers) {
    const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
    curl_slist* extended = curl_slist_append(list, line.c_str());
    if (extended == nullptr) {
      curl_slist_free_all(list);
      return nullptr;
    }
    list = extended;
  }
  return HeaderList(list);
}

//! no_proxy (or NO_PROXY) from the environment, with the loopback hosts added.
std::string no_proxy_list() {
  const char* lower = std::getenv("no_proxy");
  const char* upper = std::getenv("NO_PROXY");
  std::string list = lower != nullptr ? lower : upper != nullptr ? upper : "";
  if (list == "*") return list;
  return list + (list.empty() ? "" : ",") + "localhost,127.0.0.1,::1";
}

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(ClientOptions options)
      : options_(std::move(options)), no_proxy_(no_proxy_list()), prng_(std::random_device{}()) {}

  core::Result<Response> send(const Request& request) override;

 private:
  //! An easy handle borrowed from the pool for one send(), returned (with its open connections) afterwards.
  class Lease {
   public:
    Lease(CurlClient& owner, EasyHandle handle) : owner_(owner), handle_(std::move(handle)) {}
    ~Lease() { owner_.give_back(std::move(handle_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    CURL* get() const { return handle_.get(); }

   private:
    CurlClient& owner_;
    EasyHandle handle_;
  };

  EasyHandle take_handle();
  void give_back(EasyHandle handle);
  Attempt perform(CURL* handle, const Request& request, curl_slist* headers) const;
  double random_unit();

  ClientOptions options_;
  std::string no_proxy_;  // the environment's no_proxy plus the loopback hosts
  std::mutex pool_mutex_;
  std::vector<EasyHandle> idle_;
  std::mutex prng_mutex_;
  core::Prng prng_;
};

EasyHandle CurlClient::take_handle() {
  {
    const std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      EasyHandle handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return EasyHandle(curl_easy_init());
}

void CurlClient::give_back(EasyHandle handle) {
  if (!handle) return;
  // Drops the options that point into the finished request (body, header list, error buffer); the open
  // connections stay for the next request.
  curl_easy_reset(handle.get());
  const std::lock_guard lock(pool_mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

double CurlClient::random_unit() {
  const std::lock_guard lock(prng_mutex_);
  return prng_.unit_double();
}

Attempt CurlClient::perform(CURL* handle, const Request& request, curl_slist* headers) const {
  Attempt attempt;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  // Options do not survive from the previous request; the handle's connection, DNS and TLS session caches do.
  curl_easy_reset(handle);

  CURLcode setup = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (setup == CURLE_OK) setup = curl_easy_setopt(handle, option, value);
  };
  set(CURLOPT_ERRORBUFFER, error_buffer.data());
  set(CURLOPT_URL, request.url.c_str());
  // Without this libcurl uses SIGALRM for DNS timeouts, which is not safe with threads.
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  // Redirects are not followed: a redirect to another host would carry the Authorization header there.
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, kVerifyHostName);
  // CAINFO replaces the CA bundle, but Debian's libcurl also keeps its CA path (/etc/ssl/certs), so the
  // system roots stay trusted next to the private CA.
  if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str());
  // The proxy itself comes from http_proxy / https_proxy (libcurl reads them), which is how operators route us
  // through one. no_proxy is read here so loopback can be added: a loopback address is this machine, never
  // something a proxy can reach for us.
  set(CURLOPT_NOPROXY, options_.bypass_proxy ? "*" : no_proxy_.c_str());
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.value_or(options_.request_timeout).count()));
  // Idle pooled connections go through NATs and load balancers that silently drop quiet flows.
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  // Every encoding libcurl can decode; the size cap below applies to the decoded body.
  set(CURLOPT_ACCEPT_ENCODING, "");
  if (!options_.user_agent.empty()) set(CURLOPT_USERAGENT, options_.user_agent.c_str());
  if (headers != nullptr) set(CURLOPT_HTTPHEADER, headers);

  if (request.method == "POST" || !request.body.empty()) {
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(CURLOPT_POSTFIELDS, request.body.data());
  }
  // POSTFIELDS alone would make any method with a body a POST.
  const bool plain_get = request.method == "GET" && request.body.empty();
  if (request.method != "POST" && !plain_get) set(CURLOPT_CUSTOMREQUEST, request.method.c_str());

  set(CURLOPT_WRITEFUNCTION, on_body);
  set(CURLOPT_WRITEDATA, &attempt);
  set(CURLOPT_HEADERFUNCTION, on_header);
  set(CURLOPT_HEADERDATA, &attempt);

  attempt.code = setup != CURLE_OK ? setup : curl_easy_perform(handle);
  if (attempt.code != CURLE_OK) {
    attempt.error = curl_easy_strerror(attempt.code);
    if (error_buffer[0] != '\0') {
      attempt.error += ": ";
      attempt.error += error_buffer.data();
    }
    return attempt;
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &attempt.response.status);
  return attempt;
}

core::Result<Response> CurlClient::send(const Request& request) {
  const std::string shown_url = redact_url(request.url);
  const std::string what = request.method + " " + shown_url;
  if (std::find(kMethods.begin(), kMethods.end(), request.method) == kMethods.end()) {
    return core::make_error(what + ": unsupported HTTP method (GET, POST, PUT, PATCH or DELETE)");
  }
  const HeaderList headers = build_header_list(request.headers);
  if (!request.headers.empty() && !headers) return core::make_error(what + ": out of memory building headers");
  EasyHandle handle = take_handle();
  if (!handle) return core::make_error(what + ": could not create a libcurl handle");
  const Lease lease(*this, std::move(handle));

  const RetryPolicy& policy = options_.retry;
  const int max_attempts = std::max(1, policy.max_attempts);
  for (int attempt_number = 1;; ++attempt_number) {
    const auto started = std::chrono::steady_clock::now();
    Attempt attempt = perform(lease.get(), request, headers.get());
    const auto elapsed_ms =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (core::log_level() <= core::LogLevel::kDebug) {
      const std::string shown_headers = redact_headers(request.headers);
      if (attempt.code == CURLE_OK) {
        core::log_debug("http request", {{"method", request.method},
                                         {"url", shown_url},
                                         {"headers", shown_headers},
                                         {"status", attempt.response.status},
                                         {"elapsed_ms", elapsed_ms},
                                         {"attempt", attempt_number}});
      } else {
        core::log_debug("http request failed", {{"method", request.method},
                                                {"url", shown_url},
                                                {"headers", shown_headers},
                                                {"error", attempt.error},
                                                {"elapsed_ms", elapsed_ms},
                                                {"attempt", attempt_number}});
      }
    }
    if (attempt.body_too_large) {
      return core::make_error(what + ": the response body is larger than " +
                              std::to_string(kMaxResponseBytes / kMebibyte) + " MiB");
    }

    std::optional<milliseconds> wait;
    std::string reason;
    if (attempt.code == CURLE_OK) {
      Response& response = attempt.response;
      response.attempts = attempt_number;
      if (!is_retryable_status(response.status) || attempt_number >= max_attempts) return std::move(response);
      reason = "HTTP " + std::to_string(response.status);
      if (response.status == kTooManyRequests || response.status == kServiceUnavailable) {
        if (const auto header = response.header("Retry-After")) {
          wait = core::parse_retry_after(*header, std::chrono::system_clock::now());
        }
        if (wait && *wait > policy.max_retry_after) {
          // The server asks for longer than we may block (a spent quota): the caller decides what to do.
          core::log_warn("http retry-after beyond the limit, not retrying",
                         {{"method", request.method},
                          {"url", shown_url},
                          {"status", response.status},
                          {"retry_after_ms", static_cast<long long>(wait->count())},
                          {"max_retry_after_ms", static_cast<long long>(policy.max_retry_after.count())}});
          return std::move(response);
        }
      }
    } else {
      if (!retryable_transport(attempt.code) || attempt_number >= max_attempts) {
        return core::make_error(what + " failed after " + std::to_string(attempt_number) +
                                (attempt_number == 1 ? " attempt: " : " attempts: ") + attempt.error);
      }
      reason = attempt.error;
    }

    if (!wait) wait = core::full_jitter_delay(attempt_number - 1, policy.base_delay, policy.max_delay, random_unit());
    core::log_warn("http retry", {{"method", request.method},
                                  {"url", shown_url},
                                  {"reason", reason},
                                  {"attempt", attempt_number},
                                  {"wait_ms", static_cast<long long>(wait->count())}});
    if (core::sleep_unless_stopped(options_.stop, *wait)) {
      std::string message = what;
      message += ": stop requested while waiting to retry (after ";
      message += std::to_string(attempt_number);
      message += " attempts, last: ";
      message += reason;
      message += ')';
      return core::make_error(std::move(message));
    }
  }
}

}  // namespace

core::Result<std::unique_ptr<HttpClient>> make_curl_client(ClientOptions options) {
  if (const CURLcode code = global_init(); code != CURLE_OK) {
    return core::make_error(std::string("http client: libcurl initialisation failed: ") + curl_easy_strerror(code));
  }
  if (!options.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.ca_file, ec)) {
      return core::make_error("http client: CA file " + options.ca_file.string() + " does not exist or is not a file");
    }
  }
  return std::unique_ptr<HttpClient>(std::make_unique<CurlClient>(std::move(options)));
}

}  // namespace sb::http
