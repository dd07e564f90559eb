// Message digests (MD5, SHA-1, SHA-256) as lower-case hex, and HMAC-SHA256, backed by OpenSSL's libcrypto.
#pragma once

#include <string>
#include <string_view>

namespace sb::core {

enum class Digest { kMd5, kSha1, kSha256 };

//! Lower-case hex digest of `data`.
std::string hex_digest(Digest digest, std::string_view data);

//! The three digests of one buffer, computed in a single pass over it.
struct FileDigests {
  std::string md5;
  std::string sha1;
  std::string sha256;
};
FileDigests file_digests(std::string_view data);

//! HMAC-SHA256 of `data` under `key`: the 32 raw bytes (Azure Storage Shared Key signatures).
std::string hmac_sha256(std::string_view key, std::string_view data);

//! Lower-case hex of raw bytes.
std::string to_hex(std::string_view bytes);

}  // namespace sb::core
