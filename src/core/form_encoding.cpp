// Percent-encoding by byte: multi-byte UTF-8 comes out as one %XX per byte, as the form rules ask.
#include "core/form_encoding.hpp"

namespace sb::core {
namespace {

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

void append_percent_encoded(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
}

void append_form_field(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out.push_back('&');
  append_percent_encoded(out, key);
  out.push_back('=');
  append_percent_encoded(out, value);
}

}  // namespace sb::core
