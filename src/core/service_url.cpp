// Service URL validation: the scheme, host and path rules that keep credentials and plain HTTP off the wire.
#include "core/service_url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <string>

#include "core/text.hpp"

namespace sb::core {
namespace {

constexpr std::string_view kSchemeSeparator = "://";
constexpr std::string_view kExpectedForm = "expected https://HOST[:PORT][/PATH]";
constexpr long kMaxPort = 65535;

Error url_error(std::string_view key, std::string_view reason) {
  // The URL itself is left out on purpose: a rejected URL may carry a password or a SAS token.
  std::string message(key);
  message += ": ";
  message += reason;
  return make_error(std::move(message));
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  long value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= kMaxPort;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "localhost.") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    constexpr uint32_t kLoopbackNet = 0x7f000000;  // 127.0.0.0/8
    constexpr uint32_t kNetMask = 0xff000000;
    return (ntohl(v4.s_addr) & kNetMask) == kLoopbackNet;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Result<ServiceUrl> parse_service_url(std::string_view url, std::string_view key) {
  if (url.empty()) return url_error(key, std::string("is empty; ") + std::string(kExpectedForm));
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
      return url_error(key, "contains a space or control character; " + std::string(kExpectedForm));
    }
  }
  const auto separator = url.find(kSchemeSeparator);
  if (separator == std::string_view::npos) return url_error(key, "has no scheme; " + std::string(kExpectedForm));

  ServiceUrl result;
  result.scheme = ascii_lower(url.substr(0, separator));
  if (result.scheme != "https" && result.scheme != "http") {
    return url_error(key, "unsupported scheme \"" + result.scheme + "\"; use https://");
  }
  const std::string_view rest = url.substr(separator + kSchemeSeparator.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return url_error(key, "must not have a query (?…) or fragment (#…); " + std::string(kExpectedForm));
  }
  const auto path_start = rest.find('/');
  const std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) {
    return url_error(key,
                     "must not contain user info (user:password@): it would leak into logs; put credentials in the "
                     "secret keys");
  }

  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return url_error(key, "has an IPv6 host without a closing ']'");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return url_error(key, "has text after the IPv6 host; " + std::string(kExpectedForm));
      port = after.substr(1);
      if (!valid_port(port)) return url_error(key, "has an invalid port (expected 1-65535)");
    }
    for (const char c : host) {
      if (!is_ipv6_char(c)) return url_error(key, "has an invalid IPv6 host");
    }
    in6_addr probe{};
    if (!host.empty() && ::inet_pton(AF_INET6, std::string(host).c_str(), &probe) != 1) {
      return url_error(key, "has an invalid IPv6 host");
    }
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (!valid_port(port)) return url_error(key, "has an invalid port (expected 1-65535)");
    }
    for (const char c : host) {
      if (!is_host_char(c)) return url_error(key, "has an invalid character in the host name");
    }
  }
  if (host.empty()) return url_error(key, "has no host; " + std::string(kExpectedForm));
  result.host = ascii_lower(host);

  if (result.scheme == "http" && !is_loopback_host(result.host)) {
    return url_error(key, "http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use https://");
  }

  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  result.base = result.scheme;
  result.base += kSchemeSeparator;
  result.base += authority;
  result.base += path;
  return result;
}

}  // namespace sb::core
