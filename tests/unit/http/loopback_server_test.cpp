// The test helper LoopbackServer itself: routing, recording, 404 for unknown paths, TLS, clean stop.
#include <gtest/gtest.h>

#include <string>

#include "support/loopback_server.hpp"
#include "support/test_support.hpp"

namespace sb::test {
namespace {

TEST(LoopbackServer, RecordsRequestsAndRoutesByMethodAndPattern) {
  LoopbackServer server;
  server.handle("POST", R"(/api/items/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("item " + req.matches[1].str(), "text/plain");
  });
  server.start();
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));

  httplib::Client client(server.url());
  const auto posted = client.Post("/api/items/42?x=1&y=2", {{"X-Test", "yes"}}, "body!", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 200);
  EXPECT_EQ(posted->body, "item 42");

  const auto wrong_method = client.Get("/api/items/42");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 404);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/api/items/42");
  EXPECT_EQ(requests[0].param("x"), "1");
  EXPECT_EQ(requests[0].param("y"), "2");
  EXPECT_EQ(requests[0].param("z"), "");
  EXPECT_EQ(requests[0].header("x-test"), "yes");
  EXPECT_TRUE(requests[0].has_header("X-TEST"));
  EXPECT_EQ(requests[0].body, "body!");
  EXPECT_GT(requests[0].remote_port, 0);
  EXPECT_EQ(requests[1].method, "GET");

  server.clear_requests();
  EXPECT_EQ(server.request_count(), 0U);
}

TEST(LoopbackServer, HandlersCanBeAddedWhileRunningAndFirstMatchWins) {
  LoopbackServer server;
  server.start();
  server.handle("*", "/a", [](const httplib::Request&, httplib::Response& res) { res.set_content("1", "text/plain"); });
  server.handle("GET", "/a",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("2", "text/plain"); });

  httplib::Client client(server.url());
  const auto got = client.Get("/a");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, "1");
  const auto deleted = client.Delete("/a");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->body, "1");
}

TEST(LoopbackServer, ServesTlsWithAGeneratedCertificate) {
  const TempDir dir;
  const TlsFiles tls = write_self_signed_certificate(dir.path());
  LoopbackServer server(tls);
  server.handle("GET", "/",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("tls", "text/plain"); });
  server.start();
  EXPECT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0U);

  httplib::SSLClient client("127.0.0.1", server.port());
  client.set_ca_cert_path(tls.cert_file.c_str());
  client.enable_server_certificate_verification(true);
  const auto got = client.Get("/");
  ASSERT_TRUE(got) << httplib::to_string(got.error());
  EXPECT_EQ(got->body, "tls");
}

TEST(LoopbackServer, StopsPromptlyAndTwice) {
  LoopbackServer server;
  server.handle("GET", "/",
                [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
  server.start();
  const int port = server.port();
  {
    httplib::Client client(server.url());
    ASSERT_TRUE(client.Get("/"));
  }
  server.stop();
  server.stop();
  httplib::Client client("127.0.0.1", port);
  EXPECT_FALSE(client.Get("/"));
}

}  // namespace
}  // namespace sb::test
