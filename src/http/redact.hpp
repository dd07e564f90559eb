// Redaction for log lines and error messages: URLs and headers without the credentials they may carry.
#pragma once

#include <string>
#include <string_view>

#include "http/http_client.hpp"

namespace sb::http {

//! Replaces a secret value in logs.
inline constexpr std::string_view kRedacted = "[redacted]";

//! True for headers whose value is a credential: Authorization, Proxy-Authorization, cookies, and any name
//! containing "key", "token", "secret", "signature", "password" or "auth" (case-insensitive).
bool is_sensitive_header(std::string_view name);

//! `url` without user info ("user:pass@") and with the values of credential-like query parameters
//! (sig, *key*, *token*, *secret*, *signature*, *password*) replaced, e.g. an Azure SAS signature.
std::string redact_url(std::string_view url);

//! "Name: value; Name: [redacted]" for a debug log line.
std::string redact_headers(const Headers& headers);

}  // namespace sb::http
