// Form fields and query strings: unreserved bytes kept, everything else %XX by byte; request ids are v4 GUIDs.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/form_encoding.hpp"
#include "core/request_id.hpp"

namespace sb::core {
namespace {

TEST(FormEncoding, ReservedAndNonAsciiBytesArePercentEncoded) {
  std::string body;
  append_form_field(body, "scope", "https://monitor.azure.com/.default");
  append_form_field(body, "client_secret", "a+b/c=d&e f~_.-é");
  EXPECT_EQ(body, "scope=https%3A%2F%2Fmonitor.azure.com%2F.default&client_secret=a%2Bb%2Fc%3Dd%26e%20f~_.-%C3%A9");
}

TEST(RequestId, IsAVersion4GuidAndFreshEachTime) {
  const std::regex guid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_request_id();
    ASSERT_TRUE(std::regex_match(id, guid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace sb::core
