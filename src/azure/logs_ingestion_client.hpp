// The Azure Monitor Logs Ingestion API (microsoft.md §4): one POST of a JSON array to a DCR stream.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "azure/access_token.hpp"
#include "core/result.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

inline constexpr std::string_view kMonitorScope = "https://monitor.azure.com/.default";
inline constexpr std::string_view kLogsIngestionApiVersion = "2023-01-01";
//! The service refuses a call over 1 MB, both compressed and uncompressed ("Maximum allowed content length:
//! 1048576 bytes").
inline constexpr size_t kMaxRequestBytes = 1'048'576;
//! "Fields longer than 64 KB are truncated" by the service.
inline constexpr size_t kMaxFieldBytes = 64 * 1024;

struct LogsIngestionTarget {
  std::string endpoint;          // the DCE or the DCR's own logs ingestion endpoint
  std::string dcr_immutable_id;  // dcr-…
  std::string stream = "Custom-SpectraDetectLogs";
  std::string scope{kMonitorScope};  // sovereign clouds: https://monitor.azure.us/.default, …
};

//! What an upload came to, and so what the caller does with its rows.
struct UploadResult {
  //! Empty: delivered (2xx). Otherwise why not: kRefusedItem for a 4xx that refuses these rows (413: too large,
  //! split them; 400: something in a row, split to find it; 403, 404 and the rest: this target takes none of them),
  //! kRetryLater for no answer or 408/429/5xx after the retries, kRefusedForGood for a token refused twice.
  std::optional<core::Error> error;
  long status = 0;                // HTTP status, 0 when none arrived
  std::string request_id;         // x-ms-request-id
  std::string client_request_id;  // x-ms-client-request-id we sent
  std::string error_code;         // x-ms-error-code (or error.code of the body)
  std::string service_message;    // error.message of the service's body, for the log

  bool accepted() const { return !error.has_value(); }
};

class LogsIngestionClient {
 public:
  //! Validates the target (https, or http for loopback). The token provider and HTTP client are shared.
  static core::Result<std::unique_ptr<LogsIngestionClient>> create(LogsIngestionTarget target,
                                                                   std::shared_ptr<TokenProvider> tokens,
                                                                   std::shared_ptr<http::HttpClient> http);

  //! POSTs `body` (a JSON array; gzip-compressed when `gzip`). Throttling (429 with Retry-After) and 5xx were
  //! already retried by the HTTP client when this returns; a 401 gets one new token and one more try.
  UploadResult upload(std::string body, bool gzip);

  const std::string& url() const { return url_; }
  const LogsIngestionTarget& target() const { return target_; }

 private:
  LogsIngestionClient(LogsIngestionTarget target, std::shared_ptr<TokenProvider> tokens,
                      std::shared_ptr<http::HttpClient> http, std::string url);

  LogsIngestionTarget target_;
  std::shared_ptr<TokenProvider> tokens_;
  std::shared_ptr<http::HttpClient> http_;
  std::string url_;
};

//! The fix for a refused upload, in words ("grant Monitoring Metrics Publisher on the DCR to …"), or "".
std::string logs_ingestion_hint(long status);

}  // namespace sb::azure
