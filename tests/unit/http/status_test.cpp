// The one classification of HTTP statuses every client maps its answers with.
#include "http/status.hpp"

#include <gtest/gtest.h>

namespace sb::http {
namespace {

using core::ErrorKind;

TEST(HttpStatus, CredentialsAndRightsAreRefusedForGood) {
  EXPECT_EQ(error_kind_of_status(kUnauthorized), ErrorKind::kRefusedForGood);
  EXPECT_EQ(error_kind_of_status(kForbidden), ErrorKind::kRefusedForGood);
}

TEST(HttpStatus, TimeoutsThrottlingAndServerErrorsAreRetriedLater) {
  for (const long status : {408L, 429L, 500L, 502L, 503L, 504L, 599L}) {
    EXPECT_EQ(error_kind_of_status(status), ErrorKind::kRetryLater) << status;
    EXPECT_TRUE(is_retryable_status(status)) << status;
    EXPECT_FALSE(is_refusal_status(status)) << status;
  }
}

TEST(HttpStatus, OtherClientErrorsRefuseTheItem) {
  for (const long status : {400L, 404L, 405L, 409L, 410L, 413L, 415L, 422L, 451L}) {
    EXPECT_EQ(error_kind_of_status(status), ErrorKind::kRefusedItem) << status;
    EXPECT_TRUE(is_refusal_status(status)) << status;
  }
}

TEST(HttpStatus, SuccessIsEvery2xxAndNothingElse) {
  EXPECT_TRUE(is_success(200));
  EXPECT_TRUE(is_success(204));
  EXPECT_TRUE(is_success(299));
  EXPECT_FALSE(is_success(199));
  EXPECT_FALSE(is_success(300));
  EXPECT_FALSE(is_success(404));
}

TEST(HttpStatus, TextNamesTheStatus) {
  EXPECT_EQ(status_text(404), "404 Not Found");
  EXPECT_EQ(status_text(429), "429 Too Many Requests");
  EXPECT_EQ(status_text(599), "HTTP 599");
}

}  // namespace
}  // namespace sb::http
