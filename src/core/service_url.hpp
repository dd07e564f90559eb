// Validation of configured service URLs: https everywhere, plain http only for loopback hosts (tests).
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::core {

struct ServiceUrl {
  std::string scheme;  // "https" or "http"
  std::string host;    // without brackets for IPv6
  std::string base;    // the URL without a trailing slash, ready for appending "/api/…"
};

//! localhost, 127.0.0.0/8 or ::1 (no brackets).
bool is_loopback_host(const std::string& host);

//! Accepts https://HOST[:PORT][/PATH] and http:// only when HOST is localhost, 127.0.0.0/8 or ::1. The error
//! names `key` (the config key) and says why.
Result<ServiceUrl> parse_service_url(std::string_view url, std::string_view key);

}  // namespace sb::core
