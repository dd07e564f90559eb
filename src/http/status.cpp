// Which HTTP statuses may heal on a later try and which are final refusals, shared by every client's error mapping.
#include "http/http_client.hpp"

namespace sb::http {
namespace {

constexpr long kRequestTimeout = 408;
constexpr long kTooManyRequests = 429;
constexpr long kFirstClientError = 400;
constexpr long kFirstServerError = 500;
constexpr long kLastServerError = 599;

}  // namespace

bool is_retryable_status(long status) {
  return status == kRequestTimeout || status == kTooManyRequests ||
         (status >= kFirstServerError && status <= kLastServerError);
}

bool is_refusal_status(long status) {
  return status >= kFirstClientError && status < kFirstServerError && !is_retryable_status(status);
}

}  // namespace sb::http
