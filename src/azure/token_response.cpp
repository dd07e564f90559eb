// Token replies are read leniently (numbers or strings) but a reply without a token or an expiry is an error:
// caching a token of unknown lifetime would either hammer the endpoint or use it past expiry.
#include "azure/token_response.hpp"

#include <simdjson.h>

#include <charconv>

#include "core/json_document.hpp"

namespace sb::azure {
namespace {

// A token lifetime beyond this is nonsense (Entra issues 1–24 h); reading it would cache a token forever.
constexpr int64_t kMaxLifetimeSeconds = 7 * 24 * 3600;

//! A number or a string of digits.
std::optional<int64_t> integer_field(simdjson::dom::object object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  int64_t number = 0;
  if (value.get_int64().get(number) == simdjson::SUCCESS) return number;
  uint64_t unsigned_number = 0;
  if (value.get_uint64().get(unsigned_number) == simdjson::SUCCESS) return std::nullopt;
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return number;
}

std::string_view string_field(simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (object[key].get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

}  // namespace

core::Result<AccessToken> parse_token_response(const std::string& body, std::chrono::system_clock::time_point now) {
  simdjson::dom::parser parser;
  auto document = core::parse_json(parser, body);
  if (!document) return core::make_error("token reply is not JSON: " + document.error().message);
  simdjson::dom::object object;
  if (document->get_object().get(object) != simdjson::SUCCESS) return core::make_error("token reply is not an object");

  AccessToken token;
  token.value = std::string(string_field(object, "access_token"));
  if (token.value.empty()) return core::make_error("token reply has no access_token");
  const auto type = string_field(object, "token_type");
  if (!type.empty() && type != "Bearer" && type != "bearer") {
    return core::make_error("token reply has token_type \"" + std::string(type) + "\", not Bearer");
  }
  const auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // expires_in first: a relative lifetime is right even on a machine whose clock is off; expires_on (an epoch
  // on the service's clock) only when it is all there is (App Service).
  std::optional<int64_t> lifetime;
  if (const auto expires_in = integer_field(object, "expires_in")) {
    lifetime = *expires_in;
  } else if (const auto expires_on = integer_field(object, "expires_on")) {
    lifetime = *expires_on - now_seconds;
  }
  if (!lifetime) return core::make_error("token reply has neither expires_on nor expires_in");
  if (*lifetime <= 0) return core::make_error("token reply holds a token that has already expired");
  if (*lifetime > kMaxLifetimeSeconds) return core::make_error("token reply claims a lifetime over a week");
  token.expires_on = now + std::chrono::seconds(*lifetime);
  return token;
}

std::string describe_token_error(long status, const std::string& body) {
  std::string text = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  auto document = core::parse_json(parser, body);
  simdjson::dom::object object;
  if (!document || document->get_object().get(object) != simdjson::SUCCESS) return text;
  const auto error = string_field(object, "error");
  auto description = string_field(object, "error_description");
  // Entra appends "\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …" on new lines; the ids follow below.
  description = description.substr(0, description.find_first_of("\r\n"));
  if (!error.empty()) text.append(" ").append(error);
  if (!description.empty()) text.append(": ").append(description);
  if (const auto correlation = string_field(object, "correlation_id"); !correlation.empty()) {
    text.append(" (correlation id ").append(correlation).append(")");
  }
  return text;
}

std::string resource_of_scope(std::string_view scope) {
  constexpr std::string_view kDefault = "/.default";
  if (scope.size() >= kDefault.size() && scope.substr(scope.size() - kDefault.size()) == kDefault) {
    scope.remove_suffix(kDefault.size());
  }
  return std::string(scope);
}

}  // namespace sb::azure
