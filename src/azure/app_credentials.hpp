// App registrations asking the Entra ID v2 token endpoint (client credentials grant, microsoft.md §5.1): with a
// client secret, or with a federated token file (workload identity, e.g. AKS).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "azure/access_token.hpp"
#include "http/http_client.hpp"

namespace sb::azure {

struct AppIdentity {
  std::string authority_host;  // https://login.microsoftonline.com (sovereign clouds differ)
  std::string tenant_id;
  std::string client_id;
};

//! POST {authority}/{tenant}/oauth2/v2.0/token with client_id, scope, client_secret, grant_type=client_credentials.
class ClientSecretCredential final : public TokenCredential {
 public:
  ClientSecretCredential(std::shared_ptr<http::HttpClient> http, AppIdentity identity, std::string secret);
  std::string describe() const override;
  core::Result<AccessToken> fetch(std::string_view scope) override;

 private:
  std::shared_ptr<http::HttpClient> http_;
  AppIdentity identity_;
  std::string secret_;
};

//! The same grant with client_assertion = the federated token, read from `token_file` on every fetch because
//! the platform rotates it.
class WorkloadIdentityCredential final : public TokenCredential {
 public:
  WorkloadIdentityCredential(std::shared_ptr<http::HttpClient> http, AppIdentity identity,
                             std::filesystem::path token_file);
  std::string describe() const override;
  core::Result<AccessToken> fetch(std::string_view scope) override;

 private:
  std::shared_ptr<http::HttpClient> http_;
  AppIdentity identity_;
  std::filesystem::path token_file_;
};

}  // namespace sb::azure
