// Header lookup by name: HTTP field names are case-insensitive (RFC 9110 §5.1), and HTTP/2 sends them lower-case.
#include "http/http_client.hpp"

namespace sb::http {
namespace {

char ascii_lower_char(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower_char(a[i]) != ascii_lower_char(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (equals_ignoring_case(header.name, name)) return std::string_view(header.value);
  }
  return std::nullopt;
}

}  // namespace sb::http
