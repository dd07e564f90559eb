// Shared Key signing: HMAC-SHA256 of the string-to-sign under the decoded account key, Base64-encoded.
#include "azure/storage_shared_key.hpp"

#include <fmt/format.h>

#include <array>
#include <ctime>

#include "core/base64.hpp"
#include "core/hash.hpp"

namespace sb::azure {

core::Result<StorageSharedKey> StorageSharedKey::create(std::string account, core::SecretValue key) {
  if (account.empty()) return core::make_error("no storage account name to sign with");
  auto decoded = core::base64_decode(key.get());
  if (!decoded || decoded->empty()) {
    return core::make_error(fmt::format("the key of storage account {} is not an account key ({})", account,
                                        decoded ? "empty" : decoded.error().message));
  }
  return StorageSharedKey(std::move(account), std::move(key));
}

std::string table_string_to_sign(std::string_view verb, std::string_view content_type, std::string_view date,
                                 std::string_view account, std::string_view canonical_path, std::string_view comp) {
  std::string text = fmt::format("{}\n\n{}\n{}\n/{}{}", verb, content_type, date, account, canonical_path);
  if (!comp.empty()) text += fmt::format("?comp={}", comp);
  return text;
}

std::string StorageSharedKey::table_authorization(std::string_view verb, std::string_view content_type,
                                                  std::string_view date, std::string_view canonical_path,
                                                  std::string_view comp) const {
  // A rotated key that does not decode signs nothing valid; the service's 403 then says so.
  const auto key = core::base64_decode(key_.get());
  const std::string signature = core::base64_encode(core::hmac_sha256(
      key ? *key : std::string(), table_string_to_sign(verb, content_type, date, account_, canonical_path, comp)));
  return fmt::format("SharedKey {}:{}", account_, signature);
}

std::string storage_date(core::SystemTime time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 64> text{};
  const size_t size = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text.data(), size);
}

}  // namespace sb::azure
