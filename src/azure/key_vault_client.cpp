// The reply {"value","id","attributes"} is parsed here and only "value" leaves; error bodies
// ({"error":{"code","message"}}) are quoted, they never hold the value.
#include "azure/key_vault_client.hpp"

#include <simdjson.h>

#include "azure/authorized_send.hpp"
#include "core/json_document.hpp"
#include "core/service_url.hpp"

namespace sb::azure {
namespace {

std::string error_code(const std::string& body) {
  simdjson::dom::parser parser;
  auto document = core::parse_json(parser, body);
  std::string_view code;
  if (!document || (*document)["error"]["code"].get_string().get(code) != simdjson::SUCCESS) return {};
  return std::string(code);
}

}  // namespace

std::string key_vault_scope(std::string_view url) {
  auto service = core::parse_service_url(url.substr(0, url.find("/secrets/")), "keyvault");
  const auto domain = service ? core::key_vault_domain(service->host) : std::string_view{};
  if (domain.empty()) return std::string(kKeyVaultScope);
  return "https://" + std::string(domain) + "/.default";
}

KeyVaultClient::KeyVaultClient(std::shared_ptr<TokenProvider> tokens, std::shared_ptr<http::HttpClient> http)
    : tokens_(std::move(tokens)), http_(std::move(http)) {}

core::Result<std::string> KeyVaultClient::read(const std::string& url) {
  const std::string what = "key vault secret " + url;
  const std::string scope = key_vault_scope(url);
  http::Request request;
  request.url = url + "?api-version=" + std::string(kKeyVaultApiVersion);
  auto response = send_authorized(*http_, *tokens_, scope, std::move(request));
  if (!response) return response.error().with_context(what);
  const long status = response->status;
  if (http::is_success(status)) {
    simdjson::dom::parser parser;
    auto document = core::parse_json(parser, response->body);
    std::string_view value;
    if (!document || (*document)["value"].get_string().get(value) != simdjson::SUCCESS) {
      return core::make_error(what + ": the reply holds no value");
    }
    return std::string(value);
  }
  std::string message = what + ": HTTP " + std::to_string(status);
  if (const auto code = error_code(response->body); !code.empty()) message += " " + code;
  switch (status) {
    case http::kForbidden:
      return core::make_error(message +
                                  ": grant the identity in use the Key Vault Secrets User role (or a get-secrets "
                                  "access policy) on the vault",
                              core::ErrorKind::kRefusedForGood);
    case http::kNotFound:
      return core::make_error(message + ": no such secret or version in the vault", core::ErrorKind::kRefusedForGood);
    case http::kUnauthorized:
      return core::make_error(message + ": the token for " + scope +
                                  " was refused twice; check [azure] (the vault's tenant must be the identity's)",
                              core::ErrorKind::kRefusedForGood);
    default: return core::make_error(message, http::error_kind_of_status(status));
  }
}

}  // namespace sb::azure
