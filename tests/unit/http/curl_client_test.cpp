// The libcurl client against loopback servers: methods, headers, retries, Retry-After, timeouts, TLS, redaction.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "http/http_client.hpp"
#include "http/redact.hpp"
#include "support/captured_stderr.hpp"
#include "support/loopback_server.hpp"
#include "support/test_support.hpp"

namespace sb::http {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;

constexpr int kOk = 200;
constexpr int kTooManyRequests = 429;
constexpr int kServerError = 500;
constexpr int kServiceUnavailable = 503;

//! Retries as in production, but with waits short enough for a unit test.
ClientOptions fast_options() {
  ClientOptions options;
  options.user_agent = "spectra-bridge-test/1.0";
  options.connect_timeout = 2s;
  options.request_timeout = 10s;
  options.retry.max_attempts = 3;
  options.retry.base_delay = 1ms;
  options.retry.max_delay = 5ms;
  options.retry.max_retry_after = 10s;
  return options;
}

std::unique_ptr<HttpClient> client_with(ClientOptions options) {
  auto client = make_curl_client(std::move(options));
  if (!client.ok()) {
    ADD_FAILURE() << client.error().message;
    return nullptr;
  }
  return std::move(client).value();
}

Request get(std::string url) {
  Request request;
  request.url = std::move(url);
  return request;
}

//! Answers `status` to the first `failures` requests, then 200 "done".
LoopbackServer::Handler failing_then_ok(int failures, int status, const std::string& retry_after = {}) {
  auto seen = std::make_shared<std::atomic<int>>(0);
  return [seen, failures, status, retry_after](const httplib::Request&, httplib::Response& res) {
    if (seen->fetch_add(1) < failures) {
      res.status = status;
      if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
      res.set_content("try again", "text/plain");
      return;
    }
    res.set_content("done", "text/plain");
  };
}

TEST(CurlClient, GetSendsPathQueryHeadersAndUserAgent) {
  LoopbackServer server;
  server.handle("GET", "/api/echo", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Ms-Request-Id", "req-42");
    res.set_content(R"({"ok":true})", "application/json");
  });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  Request request = get(server.url() + "/api/echo?hash=abc123&format=json");
  request.headers = {{"Accept", "application/json"}, {"X-Custom", "value 1"}};
  const auto response = client->send(request);

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(response->attempts, 1);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/api/echo");
  EXPECT_EQ(requests[0].param("hash"), "abc123");
  EXPECT_EQ(requests[0].param("format"), "json");
  EXPECT_EQ(requests[0].header("x-custom"), "value 1");
  EXPECT_EQ(requests[0].header("Accept"), "application/json");
  EXPECT_EQ(requests[0].header("User-Agent"), "spectra-bridge-test/1.0");
  EXPECT_TRUE(requests[0].body.empty());
}

TEST(CurlClient, ResponseHeadersAreFoundInAnyCase) {
  LoopbackServer server;
  server.handle("GET", "/h", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Ms-Request-Id", "req-42");
    res.set_header("Retry-After", "7");
    res.set_content("x", "text/plain");
  });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/h"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->header("x-ms-request-id"), "req-42");
  EXPECT_EQ(response->header("X-MS-REQUEST-ID"), "req-42");
  EXPECT_EQ(response->header("content-type"), "text/plain");
  EXPECT_EQ(response->header("retry-after"), "7");
  EXPECT_FALSE(response->header("X-Missing").has_value());
}

TEST(CurlClient, PostSendsTheBodyAndItsContentType) {
  LoopbackServer server;
  server.handle("POST", "/api/items", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_content("echo:" + req.body, "text/plain");
  });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  Request request = get(server.url() + "/api/items");
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = R"({"hashes":["a","b"]})";
  const auto response = client->send(request);

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"(echo:{"hashes":["a","b"]})");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, R"({"hashes":["a","b"]})");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
}

TEST(CurlClient, LargePostBodyArrivesWhole) {
  LoopbackServer server;
  server.handle("POST", "/big", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.body.size()), "text/plain");
  });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  Request request = get(server.url() + "/big");
  request.method = "POST";
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body.assign(size_t{3} * 1024 * 1024, 'x');  // large enough for curl to ask "Expect: 100-continue"
  const auto response = client->send(request);

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->body, std::to_string(request.body.size()));
  EXPECT_EQ(response->header("Content-Type"), "text/plain");
}

TEST(CurlClient, PutPatchAndDeleteUseTheirMethods) {
  LoopbackServer server;
  server.handle("*", "/r",
                [](const httplib::Request& req, httplib::Response& res) { res.set_content(req.method, "text/plain"); });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    Request request = get(server.url() + "/r");
    request.method = method;
    request.headers = {{"Content-Type", "application/json"}};
    request.body = std::string("{\"m\":\"") + method + "\"}";
    const auto response = client->send(request);
    ASSERT_TRUE(response.ok()) << method << ": " << response.error().message;
    EXPECT_EQ(response->body, method);
  }
  Request bodiless_delete = get(server.url() + "/r");
  bodiless_delete.method = "DELETE";
  ASSERT_TRUE(client->send(bodiless_delete).ok());

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4U);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].body, R"({"m":"PUT"})");
  EXPECT_EQ(requests[1].method, "PATCH");
  EXPECT_EQ(requests[1].body, R"({"m":"PATCH"})");
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_EQ(requests[2].body, R"({"m":"DELETE"})");
  EXPECT_EQ(requests[3].method, "DELETE");
  EXPECT_TRUE(requests[3].body.empty());
}

TEST(CurlClient, UnsupportedMethodIsAnError) {
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);
  Request request = get("http://127.0.0.1:9/x");
  request.method = "TRACE";
  const auto response = client->send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("unsupported HTTP method"), std::string::npos);
}

TEST(CurlClient, ServerErrorsAreRetriedUntilSuccess) {
  LoopbackServer server;
  server.handle("GET", "/flaky", failing_then_ok(2, kServerError));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/flaky"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->body, "done");
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(server.request_count(), 3U);
}

TEST(CurlClient, RequestTimeoutStatusIsRetried) {
  LoopbackServer server;
  server.handle("GET", "/slow", failing_then_ok(1, 408));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/slow"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->attempts, 2);
}

TEST(CurlClient, TheLastRetryableResponseIsReturnedWhenAttemptsRunOut) {
  LoopbackServer server;
  server.handle("GET", "/down", failing_then_ok(100, kServiceUnavailable));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/down"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kServiceUnavailable);
  EXPECT_EQ(response->body, "try again");
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(server.request_count(), 3U);
}

TEST(CurlClient, RetryAfterSecondsIsWaitedOut) {
  LoopbackServer server;
  server.handle("GET", "/quota", failing_then_ok(1, kTooManyRequests, "1"));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto started = std::chrono::steady_clock::now();
  const auto response = client->send(get(server.url() + "/quota"));
  const auto elapsed = std::chrono::steady_clock::now() - started;

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->attempts, 2);
  // Only a lower bound: the base delay is 1 ms, so anything near a second is the Retry-After.
  EXPECT_GE(elapsed, 950ms);
}

TEST(CurlClient, RetryAfterDateInThePastRetriesAtOnce) {
  LoopbackServer server;
  server.handle("GET", "/busy", failing_then_ok(1, kServiceUnavailable, "Sun, 06 Nov 1994 08:49:37 GMT"));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/busy"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->attempts, 2);
}

TEST(CurlClient, RetryAfterBeyondTheLimitReturnsThe429) {
  LoopbackServer server;
  server.handle("GET", "/quota", failing_then_ok(1, kTooManyRequests, "3600"));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/quota"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kTooManyRequests);
  EXPECT_EQ(response->header("Retry-After"), "3600");
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(server.request_count(), 1U);
}

TEST(CurlClient, ClientErrorsAreNeverRetried) {
  for (const int status : {400, 401, 403, 404, 413}) {
    LoopbackServer server;
    server.handle("GET", "/x", failing_then_ok(100, status));
    server.start();
    auto client = client_with(fast_options());
    ASSERT_NE(client, nullptr);

    const auto response = client->send(get(server.url() + "/x"));

    ASSERT_TRUE(response.ok()) << status << ": " << response.error().message;
    EXPECT_EQ(response->status, status);
    EXPECT_EQ(response->attempts, 1) << status;
    EXPECT_EQ(server.request_count(), 1U) << status;
  }
}

TEST(CurlClient, ConnectionRefusedIsRetriedThenAnError) {
  const test::RefusingPort port;
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(port.url() + "/api"));

  ASSERT_FALSE(response.ok());
  const std::string& message = response.error().message;
  EXPECT_NE(message.find("GET " + port.url() + "/api"), std::string::npos) << message;
  EXPECT_NE(message.find("after 3 attempts"), std::string::npos) << message;
  EXPECT_NE(message.find("connect"), std::string::npos) << message;
}

TEST(CurlClient, SlowServerTimesOutOnEveryTryThenAnError) {
  LoopbackServer server;
  server.handle("GET", "/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(600ms);
    res.set_content("late", "text/plain");
  });
  server.start();
  ClientOptions options = fast_options();
  options.retry.max_attempts = 2;
  auto client = client_with(options);
  ASSERT_NE(client, nullptr);

  Request request = get(server.url() + "/slow");
  request.timeout = 100ms;  // the per-request override, well under the client's 10 s
  const auto response = client->send(request);

  ASSERT_FALSE(response.ok());
  const std::string& message = response.error().message;
  EXPECT_NE(message.find("after 2 attempts"), std::string::npos) << message;
  EXPECT_NE(message.find("Timeout"), std::string::npos) << message;
}

TEST(CurlClient, ConnectionClosedWithoutAnAnswerIsRetried) {
  const test::RawTcpServer server;
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  Request request = get(server.url() + "/api");
  request.method = "POST";
  request.body = "payload";
  const auto response = client->send(request);

  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("after 3 attempts"), std::string::npos) << response.error().message;
  EXPECT_EQ(server.connections(), 3);
}

TEST(CurlClient, OnlyTheFinalHeaderBlockIsKeptAndFoldedLinesAreJoined) {
  // An interim 100 response carries its own headers; they must not mix with the final response's. Old servers
  // may also fold a long header over two lines.
  const test::RawTcpServer server(
      "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final:  yes  \r\nX-Folded: one\r\n  two\r\nConnection: "
      "close\r\n\r\nok");
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/"));

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, kOk);
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(response->header("X-Final"), "yes");
  EXPECT_EQ(response->header("X-Folded"), "one two");  // obsolete line folding, joined
  EXPECT_FALSE(response->header("X-Interim").has_value());
  EXPECT_EQ(response->headers.size(), 4U);
}

TEST(CurlClient, SequentialRequestsReuseTheConnection) {
  LoopbackServer server;
  server.handle("GET", "/k",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("k", "text/plain"); });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto first = client->send(get(server.url() + "/k"));
  const auto second = client->send(get(server.url() + "/k"));

  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].remote_port, requests[1].remote_port);
}

TEST(CurlClient, ConcurrentSendsFromSeveralThreads) {
  LoopbackServer server;
  server.handle("GET", "/c", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.get_param_value("i"), "text/plain");
  });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = std::to_string(t * kPerThread + i);
        const auto response = client->send(get(server.url() + "/c?i=" + id));
        if (response.ok() && response->body == id) ++correct;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct.load(), kThreads * kPerThread);
}

TEST(CurlClient, OversizedResponseBodyIsAnError) {
  LoopbackServer server;
  server.handle("GET", "/huge", [](const httplib::Request&, httplib::Response& res) {
    constexpr size_t kChunk = size_t{1} << 20;
    constexpr size_t kTotal = size_t{65} << 20;  // just over the client's 64 MiB cap
    res.set_chunked_content_provider("application/octet-stream", [](size_t offset, httplib::DataSink& sink) {
      if (offset >= kTotal) {
        sink.done();
        return true;
      }
      static const std::string chunk(kChunk, 'z');
      return sink.write(chunk.data(), chunk.size());
    });
  });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/huge"));

  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("larger than 64 MiB"), std::string::npos) << response.error().message;
  EXPECT_EQ(server.request_count(), 1U);
}

TEST(CurlClient, StopDuringTheBackoffEndsWithAnError) {
  LoopbackServer server;
  server.handle("GET", "/down", failing_then_ok(100, kServiceUnavailable, "5"));
  server.start();
  std::stop_source stop;
  auto options = fast_options();
  options.stop = stop.get_token();
  auto client = client_with(options);
  ASSERT_NE(client, nullptr);

  stop.request_stop();
  const auto response = client->send(get(server.url() + "/down"));

  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("stop requested"), std::string::npos) << response.error().message;
  EXPECT_EQ(server.request_count(), 1U);
}

TEST(CurlClient, SelfSignedCertificateIsRejectedWithoutTheCaFile) {
  const test::TempDir dir;
  LoopbackServer server(test::write_self_signed_certificate(dir.path()));
  server.handle("GET", "/tls",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("t", "text/plain"); });
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const auto response = client->send(get(server.url() + "/tls"));

  ASSERT_FALSE(response.ok());
  const std::string& message = response.error().message;
  EXPECT_NE(message.find("certificate"), std::string::npos) << message;
  EXPECT_NE(message.find("after 1 attempt:"), std::string::npos) << message;  // verification failures are final
  EXPECT_EQ(server.request_count(), 0U);
}

TEST(CurlClient, SelfSignedCertificateIsTrustedThroughTheCaFile) {
  const test::TempDir dir;
  const test::TlsFiles tls = test::write_self_signed_certificate(dir.path());
  LoopbackServer server(tls);
  server.handle("GET", "/tls",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("t", "text/plain"); });
  server.start();
  ClientOptions options = fast_options();
  options.ca_file = tls.cert_file;
  auto client = client_with(options);
  ASSERT_NE(client, nullptr);

  const auto first = client->send(get(server.url() + "/tls"));
  const auto second = client->send(get(server.url() + "/tls"));

  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->status, kOk);
  EXPECT_EQ(first->body, "t");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(server.request_count(), 2U);
}

TEST(CurlClient, MissingCaFileIsRefusedUpFront) {
  ClientOptions options = fast_options();
  options.ca_file = "/nonexistent/ca.pem";
  const auto client = make_curl_client(options);
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().message.find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(CurlClient, LogsNeverShowCredentials) {
  LoopbackServer server;
  server.handle("GET", "/secret-path", failing_then_ok(1, kServerError));
  server.start();
  auto client = client_with(fast_options());
  ASSERT_NE(client, nullptr);

  const std::string url = "http://alice:PASSWORD-1@127.0.0.1:" + std::to_string(server.port()) +
                          "/secret-path?sig=SIGNATURE-2&hash=visible";
  Request request = get(url);
  request.headers = {{"Authorization", "Bearer TOKEN-3"},
                     {"Proxy-Authorization", "Basic PROXY-4"},
                     {"X-Api-Key", "KEY-5"},
                     {"X-Ms-Client-Request-Id", "visible-id"}};

  test::CapturedStderr capture;
  const auto response = client->send(request);
  const std::string logs = capture.finish();

  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->attempts, 2);
  EXPECT_NE(logs.find("http request"), std::string::npos) << logs;
  EXPECT_NE(logs.find("http retry"), std::string::npos) << logs;
  EXPECT_NE(logs.find("/secret-path?sig=[redacted]&hash=visible"), std::string::npos) << logs;
  EXPECT_NE(logs.find("visible-id"), std::string::npos) << logs;
  for (const char* secret : {"alice", "PASSWORD-1", "SIGNATURE-2", "TOKEN-3", "PROXY-4", "KEY-5"}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << secret << " leaked into:\n" << logs;
  }
  // The credentials did reach the server: redaction is for logs only.
  EXPECT_EQ(server.requests().at(0).header("Authorization"), "Bearer TOKEN-3");
}

TEST(CurlClient, ErrorsShowTheUrlWithoutCredentials) {
  const test::RefusingPort port;
  ClientOptions options = fast_options();
  options.retry.max_attempts = 1;
  auto client = client_with(options);
  ASSERT_NE(client, nullptr);

  const std::string url =
      "http://bob:PASSWORD-1@127.0.0.1:" + std::to_string(port.port()) + "/x?api_key=KEY-2&token=TOKEN-3";
  const auto response = client->send(get(url));

  ASSERT_FALSE(response.ok());
  const std::string& message = response.error().message;
  EXPECT_NE(message.find("GET " + port.url() + "/x?api_key=[redacted]&token=[redacted]"), std::string::npos) << message;
  for (const char* secret : {"bob", "PASSWORD-1", "KEY-2", "TOKEN-3"}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << secret << " leaked into: " << message;
  }
}

TEST(HttpStatus, RetryableAndRefusalStatusesSplitTheErrorsWithoutOverlap) {
  for (const long status : {408L, 429L, 500L, 502L, 503L, 599L}) {
    EXPECT_TRUE(is_retryable_status(status)) << status;
    EXPECT_FALSE(is_refusal_status(status)) << status;
  }
  for (const long status : {400L, 401L, 403L, 404L, 409L, 413L, 422L, 499L}) {
    EXPECT_TRUE(is_refusal_status(status)) << status;
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
  for (const long status : {200L, 204L, 301L, 600L}) {
    EXPECT_FALSE(is_refusal_status(status)) << status;
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(CurlClientRedaction, SensitiveHeaderNames) {
  for (const char* name :
       {"Authorization", "proxy-authorization", "X-Api-Key", "Ocp-Apim-Subscription-Key", "X-Auth-Token",
        "Client-Secret", "X-Signature", "Cookie", "Set-Cookie", "X-IDENTITY-HEADER"}) {
    EXPECT_TRUE(is_sensitive_header(name)) << name;
  }
  for (const char* name : {"Content-Type", "Accept", "User-Agent", "x-ms-request-id", "x-ms-client-request-id",
                           "Content-Encoding", "Metadata", "Retry-After"}) {
    EXPECT_FALSE(is_sensitive_header(name)) << name;
  }
}

TEST(CurlClientRedaction, HeadersKeepTheirNamesButNotSecretValues) {
  const Headers headers = {{"Authorization", "Bearer abc"}, {"Content-Type", "application/json"}, {"x-api-key", "k"}};
  EXPECT_EQ(redact_headers(headers),
            "Authorization: [redacted]; Content-Type: application/json; x-api-key: [redacted]");
  EXPECT_EQ(redact_headers({}), "");
}

TEST(CurlClientRedaction, Urls) {
  EXPECT_EQ(redact_url("https://example.com/api/v1?x=1"), "https://example.com/api/v1?x=1");
  EXPECT_EQ(redact_url("https://user:p%40ss@example.com:8443/a"), "https://example.com:8443/a");
  EXPECT_EQ(redact_url("https://user:p@ss@example.com/a"), "https://example.com/a");
  EXPECT_EQ(redact_url("https://token@example.com"), "https://example.com");
  EXPECT_EQ(redact_url("https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%2Bdef&se=2030"),
            "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=[redacted]&se=2030");
  EXPECT_EQ(
      redact_url("https://h/p?apiKey=1&Access_Token=2&client_secret=3&password=4&q=a@b#frag"),
      "https://h/p?apiKey=[redacted]&Access_Token=[redacted]&client_secret=[redacted]&password=[redacted]&q=a@b#frag");
  EXPECT_EQ(redact_url("https://h/p?flag&"), "https://h/p?flag&");
  EXPECT_EQ(redact_url("https://h/p#a@b"), "https://h/p#a@b");
}

TEST(CurlClientHeaders, FindHeaderIgnoresCaseAndReturnsTheFirst) {
  const Headers headers = {{"Content-Type", "text/plain"}, {"X-Dup", "one"}, {"x-dup", "two"}};
  EXPECT_EQ(find_header(headers, "content-type"), "text/plain");
  EXPECT_EQ(find_header(headers, "X-DUP"), "one");
  EXPECT_FALSE(find_header(headers, "Content-Typ").has_value());
  EXPECT_FALSE(find_header({}, "x").has_value());
}

TEST(CurlClient, BypassProxyIgnoresTheProxyVariables) {
  LoopbackServer proxy;
  proxy.handle("*", ".*",
               [](const httplib::Request&, httplib::Response& res) { res.set_content("via proxy", "text/plain"); });
  proxy.start();
  ::setenv("http_proxy", proxy.url().c_str(), 1);
  // 127.0.0.2 is this machine but not in the built-in no_proxy list, so only bypass_proxy keeps it off the proxy.
  const std::string target = "http://127.0.0.2:9/metadata";
  ClientOptions options = fast_options();
  options.retry.max_attempts = 1;
  const auto via_proxy = client_with(options)->send(get(target));
  options.bypass_proxy = true;
  const auto direct = client_with(options)->send(get(target));
  ::unsetenv("http_proxy");

  ASSERT_TRUE(via_proxy.ok()) << via_proxy.error().message;
  EXPECT_EQ(via_proxy->body, "via proxy");
  EXPECT_FALSE(direct.ok());  // nothing listens there
  EXPECT_EQ(proxy.request_count(), 1u);
}

}  // namespace
}  // namespace sb::http
