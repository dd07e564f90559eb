// Managed identities (microsoft.md §5.2–5.3): the App Service / Functions token endpoint, and the VM's
// Instance Metadata Service. Both take a v1 resource, not a scope.
#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "azure/access_token.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

//! GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01 with X-IDENTITY-HEADER. `client_id` picks a
//! user-assigned identity; empty means the system-assigned one.
class AppServiceManagedIdentity final : public TokenCredential {
 public:
  AppServiceManagedIdentity(std::shared_ptr<http::HttpClient> http, std::string endpoint, std::string identity_header,
                            std::string client_id);
  std::string describe() const override;
  core::Result<AccessToken> fetch(std::string_view scope) override;

 private:
  std::shared_ptr<http::HttpClient> http_;
  std::string endpoint_;
  std::string identity_header_;
  std::string client_id_;
};

//! GET {imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=… with `Metadata: true`. The HTTP
//! client must bypass proxies; 404 and 410 (IMDS starting or updating) are retried here.
class ImdsManagedIdentity final : public TokenCredential {
 public:
  static constexpr std::string_view kDefaultEndpoint = "http://169.254.169.254";

  ImdsManagedIdentity(std::shared_ptr<http::HttpClient> http, std::string endpoint, std::string client_id,
                      std::stop_token stop = {});
  std::string describe() const override;
  core::Result<AccessToken> fetch(std::string_view scope) override;

 private:
  std::shared_ptr<http::HttpClient> http_;
  std::string endpoint_;
  std::string client_id_;
  std::stop_token stop_;
};

}  // namespace sb::azure
