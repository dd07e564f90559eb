// Table REST per microsoft.md §8.1: x-ms-version, DataServiceVersion 3.0, Accept …odata=nometadata; the entity path
// /<table>(PartitionKey='…',RowKey='…'); Shared Key signs VERB, Content-Type, x-ms-date and /<account><path>.
#include "azure/table_client.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cctype>

#include "azure/authorized_send.hpp"
#include "core/json_document.hpp"
#include "core/service_url.hpp"

namespace sb::azure {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kAcceptNoMetadata = "application/json;odata=nometadata";
constexpr size_t kMinTableName = 3;
constexpr size_t kMaxTableName = 63;

bool valid_table_name(std::string_view name) {
  if (name.size() < kMinTableName || name.size() > kMaxTableName) return false;
  if (std::isalpha(static_cast<unsigned char>(name.front())) == 0) return false;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

struct Split {
  std::string origin;  // scheme://host[:port]
  std::string path;    // "" or "/segment…", no trailing slash
  std::string host;
};

core::Result<Split> split_endpoint(std::string_view endpoint) {
  auto url = core::parse_service_url(endpoint, "endpoint");
  if (!url) return url.error();
  Split split;
  split.host = url->host;
  const auto scheme_end = url->base.find("://");
  const auto path_start = url->base.find('/', scheme_end + 3);
  split.origin = url->base.substr(0, path_start);
  if (path_start != std::string::npos) split.path = url->base.substr(path_start);
  if (split.path.find('?') != std::string::npos || split.path.find('#') != std::string::npos) {
    return core::make_error("endpoint: a table endpoint has no query or fragment");
  }
  return split;
}

//! The error code and message of an OData error body ({"odata.error":{"code","message":{"value"}}}), if any.
std::pair<std::string, std::string> odata_error(const http::Response& response) {
  std::string code(response.header("x-ms-error-code").value_or(""));
  std::string message;
  simdjson::dom::parser parser;
  auto document = core::parse_json(parser, response.body);
  if (document) {
    simdjson::dom::element error;
    if ((*document)["odata.error"].get(error) == simdjson::SUCCESS) {
      std::string_view text;
      if (code.empty() && error["code"].get(text) == simdjson::SUCCESS) code = std::string(text);
      if (error["message"]["value"].get(text) == simdjson::SUCCESS) message = std::string(text);
    }
  }
  // The first line is enough for a log (the service appends RequestId and Time lines).
  if (const auto newline = message.find('\n'); newline != std::string::npos) message.resize(newline);
  return {code, message};
}

}  // namespace

core::Result<std::string> table_account(std::string_view endpoint) {
  auto split = split_endpoint(endpoint);
  if (!split) return split.error();
  if (!split->path.empty()) {
    const auto end = split->path.find('/', 1);
    return split->path.substr(1, end == std::string::npos ? std::string::npos : end - 1);
  }
  const auto dot = split->host.find('.');
  if (dot == std::string::npos || dot == 0) {
    return core::make_error(fmt::format(
        "endpoint: cannot tell the storage account from host {} (expected ACCOUNT.table.core.windows.net, or "
        "http://127.0.0.1:PORT/ACCOUNT)",
        split->host));
  }
  return split->host.substr(0, dot);
}

std::string table_key_literal(std::string_view key) {
  std::string out = "'";
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\'') {
      out += "''";
    } else if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  out += "'";
  return out;
}

TableClient::TableClient(TableTarget target, std::string account, std::string path_prefix,
                         std::optional<StorageSharedKey> shared_key, std::shared_ptr<TokenProvider> tokens,
                         std::shared_ptr<http::HttpClient> http, std::string scope)
    : target_(std::move(target)),
      account_(std::move(account)),
      path_prefix_(std::move(path_prefix)),
      shared_key_(std::move(shared_key)),
      tokens_(std::move(tokens)),
      http_(std::move(http)),
      scope_(std::move(scope)) {}

core::Result<std::unique_ptr<TableClient>> TableClient::create(TableTarget target,
                                                               std::optional<StorageSharedKey> shared_key,
                                                               std::shared_ptr<TokenProvider> tokens,
                                                               std::shared_ptr<http::HttpClient> http,
                                                               std::string scope) {
  auto split = split_endpoint(target.endpoint);
  if (!split) return split.error();
  auto account = table_account(target.endpoint);
  if (!account) return account.error();
  if (!valid_table_name(target.table)) {
    return core::make_error(fmt::format(
        "table name \"{}\" is not valid: 3 to 63 letters and digits, starting with a letter", target.table));
  }
  if (!shared_key && !tokens) return core::make_error("no account key and no identity to reach Table storage with");
  auto client = std::unique_ptr<TableClient>(new TableClient(std::move(target), std::move(account).value(), split->path,
                                                             std::move(shared_key), std::move(tokens), std::move(http),
                                                             std::move(scope)));
  client->base_ = split->origin;
  return client;
}

std::string TableClient::describe_auth() const {
  if (shared_key_) return fmt::format("Shared Key of account {}", account_);
  return tokens_ ? tokens_->describe() : std::string("nothing");
}

core::Result<http::Response> TableClient::send(std::string method, const std::string& path, std::string body) {
  const std::string full_path = path_prefix_ + path;
  http::Request request;
  request.method = std::move(method);
  request.url = base_ + full_path;
  const std::string date = storage_date(std::chrono::system_clock::now());
  const std::string content_type = body.empty() ? std::string() : std::string(kJson);
  request.headers = {{"x-ms-version", std::string(kTableApiVersion)},
                     {"x-ms-date", date},
                     {"DataServiceVersion", "3.0"},
                     {"MaxDataServiceVersion", "3.0;NetFx"},
                     {"Accept", std::string(kAcceptNoMetadata)}};
  if (!content_type.empty()) request.headers.push_back({"Content-Type", content_type});
  request.body = std::move(body);
  if (!shared_key_) return send_authorized(*http_, *tokens_, scope_, std::move(request));
  request.headers.push_back(
      {"Authorization", shared_key_->table_authorization(request.method, content_type, date, full_path)});
  return http_->send(request);
}

core::Error TableClient::failure(std::string_view what, const http::Response& response) const {
  const auto [code, message] = odata_error(response);
  std::string text =
      fmt::format("Table storage {} in {} of account {}: HTTP {}{}{}", what, target_.table, account_, response.status,
                  code.empty() ? "" : " " + code, message.empty() ? "" : ": " + message);
  auto kind = http::error_kind_of_status(response.status);
  if (response.status == http::kUnauthorized || response.status == http::kForbidden) {
    text += shared_key_ ? " (check account_key: it is the account's key 1 or key 2)"
                        : fmt::format(" (grant {} the role \"Storage Table Data Contributor\" on the account)",
                                      describe_auth());
  }
  return core::make_error(std::move(text), kind);
}

core::Status TableClient::create_table() {
  std::string body = fmt::format("{{\"TableName\":\"{}\"}}", target_.table);
  auto response = send("POST", "/Tables", std::move(body));
  if (!response) return response.error();
  if (response->status == http::kCreated || response->status == http::kNoContent) return {};
  if (response->status == http::kConflict) {
    const auto [code, message] = odata_error(*response);
    if (code.empty() || code == "TableAlreadyExists") return {};
  }
  return failure("create table", *response);
}

core::Result<std::optional<std::string>> TableClient::get(std::string_view partition_key, std::string_view row_key) {
  const std::string path = fmt::format("/{}(PartitionKey={},RowKey={})", target_.table,
                                       table_key_literal(partition_key), table_key_literal(row_key));
  auto response = send("GET", path, {});
  if (!response) return response.error();
  if (response->status == http::kOk) return std::optional<std::string>(std::move(response->body));
  // No such entity (ResourceNotFound), or no table yet (TableNotFound): nothing is stored there.
  if (response->status == http::kNotFound) return std::optional<std::string>();
  return failure("read", *response);
}

core::Status TableClient::upsert(std::string_view partition_key, std::string_view row_key,
                                 std::string_view properties) {
  const std::string path = fmt::format("/{}(PartitionKey={},RowKey={})", target_.table,
                                       table_key_literal(partition_key), table_key_literal(row_key));
  auto response = send("PUT", path, std::string(properties));
  if (!response) return response.error();
  if (response->status == http::kNotFound && odata_error(*response).first == "TableNotFound") {
    // Not created at the start (the service did not answer then), or deleted since: created now, written again.
    if (auto created = create_table(); !created) return created;
    response = send("PUT", path, std::string(properties));
    if (!response) return response.error();
  }
  if (response->status == http::kNoContent || response->status == http::kOk || response->status == http::kCreated) {
    return {};
  }
  return failure("write", *response);
}

}  // namespace sb::azure
