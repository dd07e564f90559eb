// One client per provider, so each keeps its own connections and timeout.
#include "providers/provider_http.hpp"

namespace sb::providers {

core::Result<std::shared_ptr<http::HttpClient>> provider_http(std::chrono::milliseconds timeout,
                                                              std::filesystem::path ca_file, std::stop_token stop) {
  http::ClientOptions options;
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.ca_file = std::move(ca_file);
  options.request_timeout = timeout;
  options.stop = std::move(stop);
  auto client = http::make_curl_client(options);
  if (!client) return client.error();
  return std::shared_ptr<http::HttpClient>(std::move(client).value());
}

}  // namespace sb::providers
