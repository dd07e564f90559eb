// Azure Storage Shared Key authorisation (microsoft.md §6.2, §8.1): the account key, the request date, and the
// Table service's string-to-sign (VERB, Content-MD5, Content-Type, date, canonicalized resource; no x-ms- headers).
#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/secret_value.hpp"

namespace sb::azure {

//! An account name and its key. The key never leaves this object except as a signature.
class StorageSharedKey {
 public:
  //! `key` holds the account key as the portal shows it (Base64), re-read when it is a refreshing secret. Errors
  //! never quote the key.
  static core::Result<StorageSharedKey> create(std::string account, core::SecretValue key);

  const std::string& account() const { return account_; }

  //! "SharedKey <account>:<signature>" for a Table service request. `canonical_path` is the request's path as sent
  //! (percent-encoded, the account segment of a path-style URL included); only a `comp` query parameter is signed.
  std::string table_authorization(std::string_view verb, std::string_view content_type, std::string_view date,
                                  std::string_view canonical_path, std::string_view comp = {}) const;

 private:
  StorageSharedKey(std::string account, core::SecretValue key) : account_(std::move(account)), key_(std::move(key)) {}

  std::string account_;
  core::SecretValue key_;
};

//! The Table string-to-sign, exposed for tests: VERB\nContent-MD5\nContent-Type\nDate\n/<account><path>[?comp=…].
std::string table_string_to_sign(std::string_view verb, std::string_view content_type, std::string_view date,
                                 std::string_view account, std::string_view canonical_path, std::string_view comp);

//! "Fri, 04 Dec 2026 01:54:16 GMT": the x-ms-date of a storage request.
std::string storage_date(core::SystemTime time);

}  // namespace sb::azure
