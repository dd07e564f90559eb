// parse_service_url: https anywhere, http only on loopback, no credentials/query/fragment, errors naming the key.
#include <gtest/gtest.h>

#include <string>

#include "core/service_url.hpp"

namespace sb::core {
namespace {

constexpr std::string_view kKey = "scan.spectra_intelligence.url";

std::string error_of(std::string_view url) {
  const auto parsed = parse_service_url(url, kKey);
  return parsed.ok() ? std::string("(accepted)") : parsed.error().message;
}

TEST(ServiceUrl, HttpsWithHostPortAndPath) {
  const auto parsed = parse_service_url("https://data.reversinglabs.com:8443/api/v1/", kKey);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->scheme, "https");
  EXPECT_EQ(parsed->host, "data.reversinglabs.com");
  EXPECT_EQ(parsed->base, "https://data.reversinglabs.com:8443/api/v1");
}

TEST(ServiceUrl, TrailingSlashesAreStripped) {
  EXPECT_EQ(parse_service_url("https://a.example.com/", kKey)->base, "https://a.example.com");
  EXPECT_EQ(parse_service_url("https://a.example.com//", kKey)->base, "https://a.example.com");
  EXPECT_EQ(parse_service_url("https://a.example.com", kKey)->base, "https://a.example.com");
}

TEST(ServiceUrl, SchemeAndHostAreCaseInsensitive) {
  const auto parsed = parse_service_url("HTTPS://Data.Example.COM", kKey);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->scheme, "https");
  EXPECT_EQ(parsed->host, "data.example.com");
  EXPECT_EQ(parsed->base, "https://Data.Example.COM");
}

TEST(ServiceUrl, HttpOnlyForLoopbackHosts) {
  for (const char* url : {"http://localhost:8080", "http://127.0.0.1:1234/x/", "http://127.8.9.10", "http://[::1]:80",
                          "http://LOCALHOST"}) {
    const auto parsed = parse_service_url(url, kKey);
    EXPECT_TRUE(parsed.ok()) << url << ": " << parsed.error().message;
  }
  EXPECT_EQ(parse_service_url("http://[::1]:8080/api/", kKey)->host, "::1");
  EXPECT_EQ(parse_service_url("http://[::1]:8080/api/", kKey)->base, "http://[::1]:8080/api");
}

TEST(ServiceUrl, PlainHttpToAnotherHostIsRefusedWithTheKeyInTheMessage) {
  EXPECT_EQ(error_of("http://data.reversinglabs.com"),
            "scan.spectra_intelligence.url: http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost); "
            "use https://");
  for (const char* url : {"http://10.0.0.1", "http://128.0.0.1", "http://[::2]", "http://localhost.example.com",
                          "http://127.0.0.1.nip.io"}) {
    EXPECT_NE(error_of(url).find("only for loopback"), std::string::npos) << url;
  }
}

TEST(ServiceUrl, OtherSchemesAreRefused) {
  EXPECT_NE(error_of("ftp://example.com").find("unsupported scheme \"ftp\""), std::string::npos);
  EXPECT_NE(error_of("file:///etc/passwd").find("unsupported scheme"), std::string::npos);
  EXPECT_NE(error_of("example.com/api").find("has no scheme"), std::string::npos);
}

TEST(ServiceUrl, UserInfoIsRefusedWithoutEchoingIt) {
  const std::string message = error_of("https://user:hunter2@example.com/api");
  EXPECT_EQ(message.rfind(kKey, 0), 0U) << message;
  EXPECT_NE(message.find("user info"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_NE(error_of("https://token@example.com").find("user info"), std::string::npos);
}

TEST(ServiceUrl, QueryAndFragmentAreRefused) {
  const std::string message = error_of("https://example.com/api?sig=SECRET");
  EXPECT_NE(message.find("query"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
  EXPECT_NE(error_of("https://example.com/api#part").find("fragment"), std::string::npos);
}

TEST(ServiceUrl, EmptyOrMalformedHostsAndPortsAreRefused) {
  EXPECT_NE(error_of("").find("is empty"), std::string::npos);
  EXPECT_NE(error_of("https://").find("no host"), std::string::npos);
  EXPECT_NE(error_of("https:///api").find("no host"), std::string::npos);
  EXPECT_NE(error_of("https://:443").find("no host"), std::string::npos);
  EXPECT_NE(error_of("https://[]:443").find("no host"), std::string::npos);
  EXPECT_NE(error_of("https://example.com:").find("invalid port"), std::string::npos);
  EXPECT_NE(error_of("https://example.com:0").find("invalid port"), std::string::npos);
  EXPECT_NE(error_of("https://example.com:65536").find("invalid port"), std::string::npos);
  EXPECT_NE(error_of("https://example.com:80a").find("invalid port"), std::string::npos);
  EXPECT_NE(error_of("https://[::1").find("closing"), std::string::npos);
  EXPECT_NE(error_of("https://[zz::1]").find("invalid IPv6"), std::string::npos);
  EXPECT_NE(error_of("https://exa mple.com").find("space"), std::string::npos);
  EXPECT_NE(error_of("https://exa%6dple.com").find("invalid character"), std::string::npos);
}

TEST(ServiceUrl, EveryErrorStartsWithTheKey) {
  for (const char* url : {"", "ftp://x", "http://x.com", "https://u@x.com", "https://x.com?a", "https://"}) {
    EXPECT_EQ(error_of(url).rfind("scan.spectra_intelligence.url: ", 0), 0U) << url;
  }
}

}  // namespace
}  // namespace sb::core
