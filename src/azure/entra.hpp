// Chooses and builds the Entra ID credential the configuration asks for ([azure] auth), wrapped in the token cache.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <stop_token>
#include <string>

#include "azure/access_token.hpp"
#include "core/result.hpp"

namespace sb::azure {

inline constexpr std::string_view kDefaultAuthorityHost = "https://login.microsoftonline.com";

//! What the platform tells us through the environment (the names the Azure SDKs read).
struct EntraEnvironment {
  std::string identity_endpoint;     // IDENTITY_ENDPOINT (App Service, Functions)
  std::string identity_header;       // IDENTITY_HEADER
  std::string federated_token_file;  // AZURE_FEDERATED_TOKEN_FILE (AKS workload identity)
  std::string tenant_id;             // AZURE_TENANT_ID
  std::string client_id;             // AZURE_CLIENT_ID
  std::string imds_endpoint;         // AZURE_POD_IDENTITY_AUTHORITY_HOST, else http://169.254.169.254

  //! Reads the variables above from "NAME=value" strings.
  static EntraEnvironment from(std::span<const std::string> environment);
};

struct EntraOptions {
  std::string auth = "default";  // default | client_secret | managed_identity | workload_identity
  std::string tenant_id;         // empty: AZURE_TENANT_ID
  std::string client_id;         // the app, or the user-assigned managed identity; empty: AZURE_CLIENT_ID
  std::string client_secret;     // the resolved value (never logged)
  std::string authority_host{kDefaultAuthorityHost};
  std::chrono::seconds refresh_skew{300};
  std::string user_agent;
  EntraEnvironment environment;
  std::stop_token stop;  // ends waits between token requests
};

//! The credential `options.auth` names, behind a per-scope cache. "default" takes the first that is configured,
//! in the Azure SDKs' order: a client secret, workload identity (a federated token file), the App Service
//! managed identity (IDENTITY_ENDPOINT), the VM managed identity (IMDS). Errors name the missing setting.
core::Result<std::unique_ptr<TokenProvider>> create_token_provider(const EntraOptions& options);

}  // namespace sb::azure
