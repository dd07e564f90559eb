// The HTTP client every cloud client uses (ReversingLabs now, Azure next): types, retry policy, factory.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/status.hpp"

namespace sb::http {

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

//! The first header called `name` (case-insensitive), if any.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;  // Authorization and other credentials are never logged
  std::string body;
  //! Overrides the client's request timeout for this request when set.
  std::optional<std::chrono::milliseconds> timeout;
};

struct Response {
  long status = 0;
  Headers headers;
  std::string body;
  int attempts = 1;  // tries it took, retries included

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
};

//! Which failures are retried and how long to wait between tries.
struct RetryPolicy {
  int max_attempts = 5;                       // first try included; 1 = never retry
  std::chrono::milliseconds base_delay{500};  // full-jitter backoff: a random wait in [0, min(cap, base·2^n)]
  std::chrono::milliseconds max_delay{30'000};
  //! A Retry-After longer than this is not waited out: the 429/503 goes back to the caller (quota spent).
  std::chrono::milliseconds max_retry_after{120'000};
};

struct ClientOptions {
  std::string user_agent;
  std::filesystem::path ca_file;  // extra CA bundle (private appliance CA); empty = the system store
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};
  //! Never use http_proxy / https_proxy (the VM metadata service must not be asked through a proxy).
  bool bypass_proxy = false;
  RetryPolicy retry;
  //! A stop requested here ends a wait between tries (the request then fails).
  std::stop_token stop;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  //! Sends `request`. 408, 429 and 5xx responses and connection failures (refused, reset, timed out) are
  //! retried with full-jitter exponential backoff; 429/503 wait out Retry-After (seconds or HTTP date) when
  //! the server sends one. 401/403 and other 4xx are never retried. Returns the final response whatever its
  //! status; an Error only when no response arrived after the last try, or a stop was requested.
  virtual core::Result<Response> send(const Request& request) = 0;
};

//! libcurl client: TLS always verified, connections reused, proxy from http_proxy / https_proxy / no_proxy.
//! Thread-safe: each send() borrows an easy handle (and its open connections) from a shared pool.
core::Result<std::unique_ptr<HttpClient>> make_curl_client(ClientOptions options);

}  // namespace sb::http
