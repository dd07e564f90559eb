// HTTP status codes by name, and the one classification of a final status every client maps its answers with.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::http {

inline constexpr long kOk = 200;
inline constexpr long kCreated = 201;
inline constexpr long kNoContent = 204;
inline constexpr long kBadRequest = 400;
inline constexpr long kUnauthorized = 401;
inline constexpr long kForbidden = 403;
inline constexpr long kNotFound = 404;
inline constexpr long kRequestTimeout = 408;
inline constexpr long kConflict = 409;
inline constexpr long kGone = 410;
inline constexpr long kPayloadTooLarge = 413;
inline constexpr long kTooManyRequests = 429;
inline constexpr long kServiceUnavailable = 503;

//! 2xx.
bool is_success(long status);

//! 408, 429 and 5xx: the server may answer the next try (the client retries these).
bool is_retryable_status(long status);

//! A final 4xx other than 408 and 429: the request is refused as sent, and sending it again will not help.
bool is_refusal_status(long status);

//! What a final non-2xx status means for the caller: 401 and 403 kRefusedForGood (credentials or rights the
//! set-up must fix), 408, 429 and 5xx kRetryLater, any other 4xx kRefusedItem (this request, as it is). A client
//! whose service means something else by a status (Logs Ingestion's 403 refuses the rows) says so itself.
core::ErrorKind error_kind_of_status(long status);

//! The reason phrase of `status` ("Unauthorized"), or "" for codes without one here.
std::string_view reason_phrase(long status);

//! "404 Not Found", or "HTTP 599" for a code without a reason phrase here.
std::string status_text(long status);

}  // namespace sb::http
