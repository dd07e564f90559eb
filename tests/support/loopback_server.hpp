// Fake HTTP(S) servers for tests: a recording cpp-httplib server on a free 127.0.0.1 port, and raw misbehaving peers.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sb::test {

//! One request as the server received it (copied, so it outlives the connection).
//! A TCP socket bound to 127.0.0.1 on a port the kernel picks; returns the fd and sets `port`.
int bind_loopback_socket(int& port);
//! A loopback port nothing listened on a moment ago, for a server in another process (Azurite) to bind.
int free_loopback_port();

struct RecordedRequest {
  std::string method;
  std::string path;          // without the query string
  httplib::Params params;    // query parameters (multimap, case-sensitive names)
  httplib::Headers headers;  // multimap with case-insensitive names
  std::string body;
  int remote_port = -1;  // the client's port: equal across requests when a connection was reused

  //! The first value of header `name` (any case), "" when absent.
  std::string header(const std::string& name) const;
  //! The first value of query parameter `name`, "" when absent.
  std::string param(const std::string& name) const;
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
};

//! A certificate and its private key, PEM files.
struct TlsFiles {
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
};

//! Writes a fresh self-signed certificate (CN 127.0.0.1; SAN IP:127.0.0.1, IP:::1, DNS:localhost; valid one day)
//! and its P-256 key as cert.pem and key.pem into `dir`. The certificate is its own CA: pass cert_file as the
//! client's CA file to trust it. Throws std::runtime_error when OpenSSL fails.
TlsFiles write_self_signed_certificate(const std::filesystem::path& dir);

//! A cpp-httplib server on 127.0.0.1 (any free port) in a background thread that records every request.
//!
//!   LoopbackServer server;
//!   server.handle("POST", "/api/items/(\\d+)", [](const httplib::Request& req, httplib::Response& res) {
//!     res.set_content(R"({"ok":true})", "application/json");
//!   });
//!   server.start();
//!   client.send({.method = "POST", .url = server.url() + "/api/items/7"});
//!   EXPECT_EQ(server.requests().at(0).path, "/api/items/7");
//!
//! Handlers run on the server's worker threads (several at once); guard shared state in them. Requests that
//! match no route are recorded too and answered 404. Handlers may be added before or after start().
class LoopbackServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  //! Plain HTTP.
  LoopbackServer();
  //! HTTPS with this certificate and key (see write_self_signed_certificate).
  explicit LoopbackServer(const TlsFiles& tls);
  //! Stops the server and joins its threads.
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  //! Routes `method` ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"; "*" = any) and a path matching
  //! `path_pattern` (std::regex, whole path, as httplib does) to `handler`. The first matching route wins;
  //! `req.matches` holds the pattern's capture groups.
  void handle(std::string method, const std::string& path_pattern, Handler handler);

  //! Binds 127.0.0.1 on a free port and returns once the server accepts connections. Throws std::runtime_error
  //! when it cannot bind or the TLS files are unusable.
  void start();
  //! Idempotent; the destructor calls it. Waits for running handlers to return.
  void stop();

  int port() const { return port_; }
  //! "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT", no trailing slash.
  std::string url() const;

  //! A copy of every request received so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  void clear_requests();

  //! The underlying server, for settings this wrapper does not cover (timeouts, keep-alive, payload limit). Change
  //! it only before start().
  httplib::Server& raw() { return *server_; }

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };

  void dispatch(const httplib::Request& request, httplib::Response& response);

  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  int port_ = -1;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Route> routes_;
  std::vector<RecordedRequest> requests_;
};

//! A raw TCP peer on 127.0.0.1 for misbehaviour an HTTP library will not produce. Connections are served one at a
//! time on a background thread and counted.
//! - Empty `reply`: each connection is closed at once, unread and unanswered; the client sees "empty reply" or
//!   "connection reset".
//! - Otherwise: the request head is read (up to the blank line; a body is ignored), `reply` is written verbatim
//!   (status lines, headers, body, as bytes) and the connection is closed.
class RawTcpServer {
 public:
  //! Listens at once; throws std::runtime_error when it cannot.
  explicit RawTcpServer(std::string reply = {});
  ~RawTcpServer();
  RawTcpServer(const RawTcpServer&) = delete;
  RawTcpServer& operator=(const RawTcpServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"
  int connections() const { return connections_.load(); }

 private:
  void serve(int connection) const;

  std::string reply_;
  int listen_fd_ = -1;
  int port_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

//! A 127.0.0.1 port that is bound but not listening, held for the object's lifetime so nothing else takes it:
//! connecting is refused (ECONNREFUSED).
class RefusingPort {
 public:
  //! Throws std::runtime_error when no port can be bound.
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"

 private:
  int fd_ = -1;
  int port_ = -1;
};

}  // namespace sb::test
