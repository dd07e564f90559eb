// Built through create_token_provider and make_curl_client, as the service builds them.
#include "support/azure_clients.hpp"

#include "azure/entra.hpp"

namespace sb::test {

std::shared_ptr<azure::TokenProvider> client_secret_tokens(const FakeEntra& entra) {
  azure::EntraOptions options;
  options.auth = "client_secret";
  options.authority_host = entra.url();
  options.tenant_id = entra.options().tenant_id;
  options.client_id = entra.options().client_id;
  options.client_secret = entra.options().client_secret;
  return azure::create_token_provider(options).value();
}

std::shared_ptr<http::HttpClient> fast_http_client(std::chrono::milliseconds timeout) {
  http::ClientOptions options;
  options.retry.base_delay = std::chrono::milliseconds(1);
  options.retry.max_delay = std::chrono::milliseconds(5);
  options.request_timeout = timeout;
  return http::make_curl_client(options).value();
}

}  // namespace sb::test
