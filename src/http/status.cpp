// Which HTTP statuses may heal on a later try, which refuse one request and which refuse every request.
#include "http/status.hpp"

namespace sb::http {
namespace {

constexpr long kFirstSuccess = 200;
constexpr long kFirstRedirect = 300;
constexpr long kFirstClientError = 400;
constexpr long kFirstServerError = 500;
constexpr long kLastServerError = 599;

}  // namespace

bool is_success(long status) {
  return status >= kFirstSuccess && status < kFirstRedirect;
}

bool is_retryable_status(long status) {
  return status == kRequestTimeout || status == kTooManyRequests ||
         (status >= kFirstServerError && status <= kLastServerError);
}

bool is_refusal_status(long status) {
  return status >= kFirstClientError && status < kFirstServerError && !is_retryable_status(status);
}

core::ErrorKind error_kind_of_status(long status) {
  if (status == kUnauthorized || status == kForbidden) return core::ErrorKind::kRefusedForGood;
  if (is_refusal_status(status)) return core::ErrorKind::kRefusedItem;
  return core::ErrorKind::kRetryLater;
}

std::string_view reason_phrase(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

std::string status_text(long status) {
  const auto reason = reason_phrase(status);
  return reason.empty() ? "HTTP " + std::to_string(status) : std::to_string(status) + " " + std::string(reason);
}

}  // namespace sb::http
