// Fake servers for tests: a recording httplib server on a free loopback port, a raw TCP peer, a refusing port.
#include "support/loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace sb::test {
namespace {

constexpr const char* kLoopbackHost = "127.0.0.1";
//! The server's worker waits this long for a next request on an idle keep-alive connection, and a stop waits
//! for that worker: short keeps teardown quick, long enough for back-to-back requests to reuse a connection.
constexpr time_t kKeepAliveSeconds = 1;
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStartPoll = std::chrono::milliseconds(1);
constexpr int kRawPollMs = 20;
constexpr size_t kRawReadChunk = 4096;
constexpr auto kRawReadTimeout = std::chrono::seconds(5);
constexpr int kNotFound = 404;
constexpr long kCertLifetimeSeconds = 24L * 60 * 60;
constexpr long kCertBackdateSeconds = 60L * 60;  // tolerates a client clock slightly behind

std::string loopback_url(std::string_view scheme, int port) {
  return std::string(scheme) + "://" + kLoopbackHost + ":" + std::to_string(port);
}

}  // namespace

int bind_loopback_socket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  port = ntohs(address.sin_port);
  return fd;
}

int free_loopback_port() {
  int port = 0;
  ::close(bind_loopback_socket(port));
  return port;
}

namespace {

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) throw std::runtime_error(std::string("cannot build certificate extension ") + value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

void write_pem(const std::filesystem::path& path, const std::function<int(FILE*)>& writer) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("cannot write " + path.string());
  const int ok = writer(file);
  std::fclose(file);
  if (ok != 1) throw std::runtime_error("cannot encode " + path.string());
}

}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

std::string RecordedRequest::param(const std::string& name) const {
  const auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

TlsFiles write_self_signed_certificate(const std::filesystem::path& dir) {
  // P-256 rather than RSA: key generation takes microseconds, not a noticeable part of a test.
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  const std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) throw std::runtime_error("OpenSSL cannot create a key or certificate");

  X509_set_version(cert.get(), 2);  // v3, needed for the extensions
  std::random_device random;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(random() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kCertBackdateSeconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kCertLifetimeSeconds);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(kLoopbackHost), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  // As `openssl req -x509` does: the certificate is its own CA, so a client can trust it as a CA file.
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  // Clients match the host against the SAN, not the CN.
  add_extension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) throw std::runtime_error("cannot sign the certificate");

  TlsFiles files{dir / "cert.pem", dir / "key.pem"};
  write_pem(files.cert_file, [&](FILE* file) { return PEM_write_X509(file, cert.get()); });
  write_pem(files.key_file,
            [&](FILE* file) { return PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  return files;
}

LoopbackServer::LoopbackServer() : server_(std::make_unique<httplib::Server>()) {}

LoopbackServer::LoopbackServer(const TlsFiles& tls)
    : server_(std::make_unique<httplib::SSLServer>(tls.cert_file.c_str(), tls.key_file.c_str())), tls_(true) {}

LoopbackServer::~LoopbackServer() {
  stop();
}

void LoopbackServer::handle(std::string method, const std::string& path_pattern, Handler handler) {
  const std::lock_guard lock(mutex_);
  routes_.push_back(Route{std::move(method), std::regex(path_pattern), std::move(handler)});
}

void LoopbackServer::start() {
  if (thread_.joinable()) return;
  if (!server_->is_valid()) throw std::runtime_error("LoopbackServer: the TLS certificate or key is unusable");
  // One catch-all route per method, so every request is recorded (unknown paths too) and routes can be added
  // while the server runs; httplib's own route tables may not change after listening starts.
  const httplib::Server::Handler catch_all = [this](const httplib::Request& request, httplib::Response& response) {
    dispatch(request, response);
  };
  server_->Get(".*", catch_all);
  server_->Post(".*", catch_all);
  server_->Put(".*", catch_all);
  server_->Patch(".*", catch_all);
  server_->Delete(".*", catch_all);
  server_->Options(".*", catch_all);
  server_->set_keep_alive_timeout(kKeepAliveSeconds);
  // Without it a reused connection's response waits ~40 ms for the client's delayed ACK (Nagle).
  server_->set_tcp_nodelay(true);

  port_ = server_->bind_to_any_port(kLoopbackHost);
  if (port_ <= 0) throw std::runtime_error("LoopbackServer: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("LoopbackServer: did not start");
    std::this_thread::sleep_for(kStartPoll);
  }
}

void LoopbackServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

std::string LoopbackServer::url() const {
  return loopback_url(tls_ ? "https" : "http", port_);
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

size_t LoopbackServer::request_count() const {
  const std::lock_guard lock(mutex_);
  return requests_.size();
}

void LoopbackServer::clear_requests() {
  const std::lock_guard lock(mutex_);
  requests_.clear();
}

void LoopbackServer::dispatch(const httplib::Request& request, httplib::Response& response) {
  Handler handler;
  httplib::Request routed = request;
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(RecordedRequest{request.method, request.path, request.params, request.headers, request.body,
                                        request.remote_port});
    for (const auto& route : routes_) {
      // httplib answers HEAD with the GET handler; so do we.
      const bool method_matches =
          route.method == "*" || route.method == request.method || (request.method == "HEAD" && route.method == "GET");
      // Matched against the copy's path: the match results point into the string they matched.
      if (method_matches && std::regex_match(routed.path, routed.matches, route.pattern)) {
        handler = route.handler;
        break;
      }
    }
  }
  if (!handler) {
    response.status = kNotFound;
    response.set_content("LoopbackServer: no route for " + request.method + " " + request.path, "text/plain");
    return;
  }
  handler(routed, response);
}

RawTcpServer::RawTcpServer(std::string reply) : reply_(std::move(reply)) {
  listen_fd_ = bind_loopback_socket(port_);
  if (::listen(listen_fd_, SOMAXCONN) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("RawTcpServer: listen() failed");
  }
  thread_ = std::thread([this] {
    while (!stopping_.load()) {
      pollfd poll_fd{listen_fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, kRawPollMs) <= 0) continue;
      const int connection = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) continue;
      ++connections_;
      serve(connection);
      ::close(connection);
    }
  });
}

RawTcpServer::~RawTcpServer() {
  stopping_.store(true);
  thread_.join();
  ::close(listen_fd_);
}

void RawTcpServer::serve(int connection) const {
  if (reply_.empty()) return;
  std::string head;
  std::array<char, kRawReadChunk> buffer{};
  const auto deadline = std::chrono::steady_clock::now() + kRawReadTimeout;
  while (head.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline &&
         !stopping_.load()) {
    pollfd poll_fd{connection, POLLIN, 0};
    if (::poll(&poll_fd, 1, kRawPollMs) <= 0) continue;
    const ssize_t n = ::recv(connection, buffer.data(), buffer.size(), 0);
    if (n <= 0) return;
    head.append(buffer.data(), static_cast<size_t>(n));
  }
  size_t written = 0;
  while (written < reply_.size()) {
    const ssize_t n = ::send(connection, reply_.data() + written, reply_.size() - written, MSG_NOSIGNAL);
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

std::string RawTcpServer::url() const {
  return loopback_url("http", port_);
}

RefusingPort::RefusingPort() {
  fd_ = bind_loopback_socket(port_);
}

RefusingPort::~RefusingPort() {
  ::close(fd_);
}

std::string RefusingPort::url() const {
  return loopback_url("http", port_);
}

}  // namespace sb::test
