// SecretValue: a fixed value, and one re-read from its store after the interval, keeping the old value (and saying
// so, without the value) when the store cannot be read.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "core/secret_value.hpp"
#include "support/captured_stderr.hpp"

namespace sb::core {
namespace {

using namespace std::chrono_literals;

TEST(SecretValue, AFixedValueIsWhatWasGiven) {
  const SecretValue fixed = "p@ss";
  EXPECT_EQ(fixed.get(), "p@ss");
  EXPECT_FALSE(fixed.empty());
  EXPECT_TRUE(SecretValue().empty());
  EXPECT_TRUE(SecretValue("").empty());
}

TEST(SecretValue, ARefreshingValueIsReadAgainOnlyAfterTheInterval) {
  std::atomic<int> reads{0};
  const auto secret = SecretValue::refreshing(
      "v0", [&]() -> Result<std::string> { return fmt::format("v{}", ++reads); }, 1s, "test.secret");
  EXPECT_EQ(secret.get(), "v0");
  EXPECT_EQ(secret.get(), "v0");
  EXPECT_EQ(reads, 0);
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(secret.get(), "v1");
  EXPECT_EQ(secret.get(), "v1");
  EXPECT_EQ(reads, 1);
}

TEST(SecretValue, AFailedReadKeepsTheValueAndLogsWithoutIt) {
  const auto secret = SecretValue::refreshing(
      "old-secret-value", []() -> Result<std::string> { return make_error("vault unreachable"); }, 1s,
      "scan.spectra_analyze.token");
  std::this_thread::sleep_for(1100ms);
  test::CapturedStderr captured;
  EXPECT_EQ(secret.get(), "old-secret-value");
  const auto logs = captured.finish();
  EXPECT_NE(logs.find("scan.spectra_analyze.token"), std::string::npos) << logs;
  EXPECT_NE(logs.find("vault unreachable"), std::string::npos);
  EXPECT_EQ(logs.find("old-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace sb::core
