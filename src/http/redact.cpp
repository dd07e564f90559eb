// Redaction rules shared by the HTTP client's logs and errors, so a credential never reaches a log line.
#include "http/redact.hpp"

#include <array>

#include "core/text.hpp"

namespace sb::http {
namespace {

// "identity": App Service's X-IDENTITY-HEADER guards the managed-identity endpoint like a password.
constexpr std::array<std::string_view, 9> kSensitiveNameParts = {
    "auth", "key", "token", "secret", "signature", "password", "cookie", "credential", "identity"};
constexpr std::string_view kSchemeSeparator = "://";
//! Azure SAS URLs carry their signature as "sig", which no generic rule catches.
constexpr std::string_view kSasSignature = "sig";

bool is_sensitive_name(std::string_view name) {
  const std::string lower = core::ascii_lower(name);
  if (lower == kSasSignature) return true;
  for (const auto part : kSensitiveNameParts) {
    if (lower.find(part) != std::string::npos) return true;
  }
  return false;
}

//! The query string with credential-like parameter values replaced; the fragment is kept as is.
std::string redact_query(std::string_view query) {
  std::string out;
  size_t start = 0;
  while (start <= query.size()) {
    const auto end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && is_sensitive_name(pair.substr(0, equals))) {
      out += pair.substr(0, equals + 1);
      out += kRedacted;
    } else {
      out += pair;
    }
    if (end == query.size()) break;
    out += '&';
    start = end + 1;
  }
  return out;
}

}  // namespace

bool is_sensitive_header(std::string_view name) {
  return is_sensitive_name(name);
}

std::string redact_url(std::string_view url) {
  std::string out;
  const auto scheme_end = url.find(kSchemeSeparator);
  const size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + kSchemeSeparator.size();
  const auto authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  out += url.substr(0, authority_start);
  // The last '@' ends the user info: a password may itself contain an unescaped '@'.
  const auto at = authority.rfind('@');
  out += at == std::string_view::npos ? authority : authority.substr(at + 1);

  std::string_view rest = url.substr(authority_end);
  const auto fragment = rest.find('#');
  const std::string_view before_fragment = rest.substr(0, fragment);
  const auto question = before_fragment.find('?');
  if (question == std::string_view::npos) {
    out += rest;
    return out;
  }
  out += before_fragment.substr(0, question + 1);
  out += redact_query(before_fragment.substr(question + 1));
  if (fragment != std::string_view::npos) out += rest.substr(fragment);
  return out;
}

std::string redact_headers(const Headers& headers) {
  std::string out;
  for (const auto& header : headers) {
    if (!out.empty()) out += "; ";
    out += header.name;
    out += ": ";
    out += is_sensitive_header(header.name) ? kRedacted : std::string_view(header.value);
  }
  return out;
}

}  // namespace sb::http
