// Lenient where HTTP allows it (case of the scheme and type, blanks), strict about what the value is.
#include "support/fake_http.hpp"

#include "core/text.hpp"

namespace sb::test {
namespace {

constexpr std::string_view kBearer = "bearer ";
constexpr std::string_view kBlanks = " \t\r\n";

}  // namespace

std::string_view trim_blanks(std::string_view text) {
  const auto first = text.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kBlanks) - first + 1);
}

std::string bearer_token(const httplib::Request& request) {
  const std::string authorization = request.get_header_value("Authorization");
  if (core::ascii_lower(std::string_view(authorization).substr(0, kBearer.size())) != kBearer) return {};
  return std::string(trim_blanks(std::string_view(authorization).substr(kBearer.size())));
}

std::string media_type(std::string_view content_type) {
  return core::ascii_lower(trim_blanks(content_type.substr(0, content_type.find(';'))));
}

}  // namespace sb::test
