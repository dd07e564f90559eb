// The Azure Table storage REST client (microsoft.md §8.1): create a table, read one entity, upsert one entity, in
// OData JSON without metadata. Shared Key (the Table string-to-sign) or the [azure] identity's bearer token.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "azure/access_token.hpp"
#include "azure/storage_shared_key.hpp"
#include "core/result.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

inline constexpr std::string_view kStorageScope = "https://storage.azure.com/.default";
//! The Table REST version of the swagger the reference quotes (bearer tokens need at least this one for tables).
inline constexpr std::string_view kTableApiVersion = "2019-02-02";

struct TableTarget {
  //! https://ACCOUNT.table.core.windows.net, or path-style http://127.0.0.1:PORT/ACCOUNT (Azurite, loopback only).
  std::string endpoint;
  std::string table;
};

//! The account a table endpoint names: the first label of its host, or the first path segment of a path-style URL.
core::Result<std::string> table_account(std::string_view endpoint);

//! "'a''b'" percent-encoded for a key predicate in a URL path: quotes doubled, everything but unreserved
//! characters encoded.
std::string table_key_literal(std::string_view key);

class TableClient {
 public:
  //! Signs with `shared_key` when it is set, else with tokens from `tokens` for `scope`.
  static core::Result<std::unique_ptr<TableClient>> create(TableTarget target,
                                                           std::optional<StorageSharedKey> shared_key,
                                                           std::shared_ptr<TokenProvider> tokens,
                                                           std::shared_ptr<http::HttpClient> http,
                                                           std::string scope = std::string(kStorageScope));

  //! Creates the table; one that already exists is success.
  core::Status create_table();
  //! The entity's properties as the service returned them (a JSON object), or nullopt when there is none.
  core::Result<std::optional<std::string>> get(std::string_view partition_key, std::string_view row_key);
  //! Inserts or replaces the entity (PUT without If-Match); a missing table is created and the write sent once more.
  //! `properties` is a JSON object without the keys.
  core::Status upsert(std::string_view partition_key, std::string_view row_key, std::string_view properties);

  const TableTarget& target() const { return target_; }
  const std::string& account() const { return account_; }
  //! "Shared Key of account X" or the identity's description.
  std::string describe_auth() const;

 private:
  TableClient(TableTarget target, std::string account, std::string path_prefix,
              std::optional<StorageSharedKey> shared_key, std::shared_ptr<TokenProvider> tokens,
              std::shared_ptr<http::HttpClient> http, std::string scope);

  core::Result<http::Response> send(std::string method, const std::string& path, std::string body);
  core::Error failure(std::string_view what, const http::Response& response) const;

  TableTarget target_;
  std::string account_;
  std::string base_;         // scheme://host[:port]
  std::string path_prefix_;  // "/ACCOUNT" for a path-style endpoint, else ""
  std::optional<StorageSharedKey> shared_key_;
  std::shared_ptr<TokenProvider> tokens_;
  std::shared_ptr<http::HttpClient> http_;
  std::string scope_;
};

}  // namespace sb::azure
