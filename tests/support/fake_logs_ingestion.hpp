// A fake Azure Monitor Logs Ingestion endpoint (DCE / DCR endpoint) on 127.0.0.1, for tests of the log sink.
//
// The fake follows microsoft.md §4 and "Key facts for implementers → Logs Ingestion", and peers.md §0.1:
//
//   POST /dataCollectionRules/{dcr immutable id}/streams/{stream}?api-version=2023-01-01
//        Authorization: Bearer <token for https://monitor.azure.com>   Content-Type: application/json
//        [Content-Encoding: gzip] [x-ms-client-request-id: <guid>]
//        body: a JSON array of objects (UTF-8)
//     → 204, no body
//     → error: {"error":{"code":"…","message":"…"}} with the same code in the x-ms-error-code header
//   Every response carries a fresh GUID in x-ms-request-id (and echoes x-ms-client-request-id when sent).
//
// Checks, in this order:
//   scripted fault (fail_next)                          → its status (+ Retry-After)
//   token missing / not valid for https://monitor.azure.com (FakeEntra::valid) → 401 InvalidToken
//   forbid(true) (no Monitoring Metrics Publisher role)  → 403 AuthorizationFailed
//   unknown DCR immutable id                             → 404 NotFound
//   unknown stream                                       → 404 StreamNotFound
//   api-version other than 2023-01-01                    → 400 InvalidApiVersion
//   Content-Type not application/json[;params]           → 415 UnsupportedMediaType
//   Content-Encoding other than gzip / identity          → 415 UnsupportedMediaType
//   body on the wire over max_bytes (1,048,576)          → 413 ContentLengthLimitExceeded
//   gzip that does not inflate                           → 400 InvalidContent
//   inflated body over max_bytes                         → 413 ContentLengthLimitExceeded
//   not JSON / not an array of objects                   → 400 InvalidContent
//   a row with a key the DCR stream does not declare,
//   or a value of another type than its column's        → 400 InvalidContent, naming the row and the column
//   a row containing a reject_rows_containing() needle   → that status and code, for the whole request
// The stream declaration is the one the project deploys (deploy/SpectraDetectLogs.dcr-stream.json): datetime
// columns take an ISO-8601 string, int an integer, string a string, dynamic any JSON; null fits every column. The
// service itself is laxer (a transform drops what it does not know); the fake refuses, so a drift between the rows
// and the deployed declaration fails a test instead of losing a column in Log Analytics.
// The 413 message is the service's ("Maximum allowed content length: 1048576 bytes (1 MB). Provided content
// length: N bytes.", peers.md §0.1). The other codes and messages are the fake's: the reference documents only
// the error shape. The reference does not say how an unknown stream is answered; the stream is part of the URL,
// and Vector reads 404 as "the URL provided is incorrect" (§4.4), so the fake answers 404.
//
// cpp-httplib's server inflates gzip request bodies itself before a handler sees them. The fake moves the
// Content-Encoding header aside before the body is read, so it measures the bytes on the wire and inflates them
// with zlib itself (strict gzip, RFC 1952; concatenated members allowed). wire_bytes is the body as received.
//
// Accepted rows are kept (their JSON text as sent). Scripted behaviour (fail_next, delay_next) is consumed one
// request at a time in arrival order; reject_rows_containing, set_max_bytes and forbid last until changed.
// Thread-safe: the server's handlers run concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_entra.hpp"
#include "support/loopback_server.hpp"
#include "support/scripted_faults.hpp"

namespace sb::test {

//! What the fake made of one ingestion request.
struct FakeIngestRequest {
  int status = 0;
  bool gzip = false;              // Content-Encoding: gzip
  size_t wire_bytes = 0;          // body bytes as received
  size_t json_bytes = 0;          // body bytes after inflating (= wire_bytes without gzip); 0 when refused earlier
  std::string client_request_id;  // x-ms-client-request-id, "" when absent
  std::string error_code;         // x-ms-error-code, "" on success
  size_t rows = 0;                // array elements, when the body was parsed
};

class FakeLogsIngestion {
 public:
  static constexpr std::string_view kApiVersion = "2023-01-01";
  //! The token audience the service accepts (scope https://monitor.azure.com/.default).
  static constexpr std::string_view kAudience = "https://monitor.azure.com";
  //! "Maximum size of API call: 1 MB, both compressed and uncompressed data"; the service counts 1 MB as 2^20.
  static constexpr size_t kMaxRequestBytes = 1'048'576;

  //! `entra` must outlive the fake; its valid() decides which bearer tokens are accepted.
  explicit FakeLogsIngestion(const FakeEntra& entra,
                             std::string dcr_immutable_id = "dcr-000a00a000a00000a000000aa000a0aa",
                             std::string stream = "Custom-SpectraDetectLogs");
  //! Wakes delayed replies, then stops the server.
  ~FakeLogsIngestion();
  FakeLogsIngestion(const FakeLogsIngestion&) = delete;
  FakeLogsIngestion& operator=(const FakeLogsIngestion&) = delete;

  //! Binds a free port on 127.0.0.1 and serves; throws std::runtime_error when it cannot.
  void start();
  //! The endpoint (what a DCE's or DCR's logs ingestion URI would be), "http://127.0.0.1:PORT".
  std::string url() const;
  //! "/dataCollectionRules/{dcr}/streams/{stream}?api-version=2023-01-01", the target under url().
  std::string ingest_target() const;
  const std::string& dcr_immutable_id() const { return dcr_; }
  const std::string& stream() const { return stream_; }

  //! The next `count` requests get `status` (429, 500, 503, …) with an error body, and a Retry-After header when
  //! `retry_after` is not empty. Their rows are not accepted.
  void fail_next(int status, int count = 1, std::string retry_after = "");
  //! The next request is answered normally after `delay`.
  void delay_next(std::chrono::milliseconds delay);
  //! Any request with a row whose JSON text contains `needle` is refused whole with `status` and `code`.
  void reject_rows_containing(std::string needle, int status = 400, std::string code = "InvalidContent");
  //! Drops every reject_rows_containing rule.
  void clear_rejections();
  //! The request size limit, on the wire and inflated (default kMaxRequestBytes).
  void set_max_bytes(size_t max_bytes);
  //! While true, authenticated requests get 403, as without the Monitoring Metrics Publisher role.
  void forbid(bool forbidden);

  //! Every accepted row, in acceptance order: its JSON text as sent, without surrounding whitespace.
  std::vector<std::string> accepted_rows() const;
  //! The string "record_id" field of each accepted row, in order (rows without one are skipped).
  std::vector<std::string> accepted_record_ids() const;
  //! Every ingestion request (including refused ones), in arrival order.
  std::vector<FakeIngestRequest> ingest_requests() const;
  //! Every request as received (Content-Encoding restored), in arrival order. Authorization headers hold tokens:
  //! do not print them.
  std::vector<RecordedRequest> requests() const;

 private:
  struct Rejection {
    std::string needle;
    int status = 400;
    std::string code;
  };
  struct Outcome {
    int status = 204;
    std::string code;
    std::string message;
  };

  //! Column name → declared type ("datetime", "int", "string", "dynamic").
  using Declaration = std::vector<std::pair<std::string, std::string>>;
  static Declaration load_declaration(const std::string& stream);

  void serve(const httplib::Request& request, httplib::Response& response);
  Outcome check(const httplib::Request& request, FakeIngestRequest& record, std::vector<std::string>& rows,
                std::vector<std::string>& record_ids);

  const FakeEntra& entra_;
  const std::string dcr_;
  const std::string stream_;
  const Declaration declaration_;

  ScriptedFaults faults_;  // thread-safe on its own

  mutable std::mutex mutex_;  // guards everything below
  std::vector<Rejection> rejections_;
  size_t max_bytes_ = kMaxRequestBytes;
  bool forbidden_ = false;
  std::vector<std::string> accepted_rows_;
  std::vector<std::string> accepted_record_ids_;
  std::vector<FakeIngestRequest> ingest_requests_;

  LoopbackServer server_;  // last: destroyed first, while the state its handlers use is still alive
};

}  // namespace sb::test
