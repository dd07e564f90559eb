// Base64 and HMAC-SHA256 against published vectors (RFC 4648 §10, RFC 4231 test case 2).
#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/hash.hpp"

namespace sb::core {
namespace {

TEST(Base64, EncodesAndDecodesTheRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, TextThatIsNotBase64IsRefusedWithoutQuotingIt) {
  for (const char* text : {"abc", "ab!d", "****"}) {
    auto decoded = base64_decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.error().message.find(text), std::string::npos);
  }
}

TEST(Base64, KeepsBinaryBytes) {
  const std::string bytes("\x00\xff\x10\x80", 4);
  auto decoded = base64_decode(base64_encode(bytes));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bytes);
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace sb::core
