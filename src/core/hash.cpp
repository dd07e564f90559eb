// Message digests through OpenSSL EVP: one implementation for every place that hashes.
#include "core/hash.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cassert>
#include <memory>

namespace sb::core {
namespace {

const EVP_MD* evp_for(Digest digest) {
  switch (digest) {
    case Digest::kMd5: return EVP_md5();
    case Digest::kSha1: return EVP_sha1();
    case Digest::kSha256: return EVP_sha256();
  }
  return EVP_sha256();
}

using ContextPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

ContextPtr start(Digest digest) {
  ContextPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const int ok = EVP_DigestInit_ex(ctx.get(), evp_for(digest), nullptr);
  assert(ok == 1 && "OpenSSL digest init cannot fail for built-in digests");
  (void)ok;
  return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  return to_hex(std::string_view(reinterpret_cast<const char*>(out.data()), len));
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    hex[2 * i] = kDigits[byte >> 4];
    hex[2 * i + 1] = kDigits[byte & 0x0f];
  }
  return hex;
}

std::string hex_digest(Digest digest, std::string_view data) {
  auto ctx = start(digest);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  return finish(ctx.get());
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac.data(), &size);
  return std::string(reinterpret_cast<const char*>(mac.data()), size);
}

FileDigests file_digests(std::string_view data) {
  auto md5 = start(Digest::kMd5);
  auto sha1 = start(Digest::kSha1);
  auto sha256 = start(Digest::kSha256);
  // Feed the three contexts block by block so the buffer is read from cache once, not three times.
  constexpr size_t kBlock = 64 * 1024;
  for (size_t pos = 0; pos < data.size(); pos += kBlock) {
    const auto chunk = data.substr(pos, kBlock);
    EVP_DigestUpdate(md5.get(), chunk.data(), chunk.size());
    EVP_DigestUpdate(sha1.get(), chunk.data(), chunk.size());
    EVP_DigestUpdate(sha256.get(), chunk.data(), chunk.size());
  }
  return {finish(md5.get()), finish(sha1.get()), finish(sha256.get())};
}

}  // namespace sb::core
