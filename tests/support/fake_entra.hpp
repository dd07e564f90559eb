// Fake Microsoft Entra ID token services on 127.0.0.1, for tests of the Azure clients' token acquisition.
//
// The fake follows microsoft.md §5 and "Key facts for implementers → Tokens". One server answers all three flows:
//
//   Client credentials (§5.1), the authority host url():
//     POST /{tenant}/oauth2/v2.0/token   Content-Type: application/x-www-form-urlencoded
//          grant_type=client_credentials & client_id & scope=<one resource>/.default
//          & client_secret (or HTTP Basic client_id:client_secret, RFC 6749 §2.3.1)
//            | client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer & client_assertion
//          → 200 {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"…"} (numbers)
//          → 400/401 {"error","error_description":"AADSTSnnnn: …","error_codes":[n],"timestamp","trace_id",
//                     "correlation_id"}
//   App Service / Functions managed identity (§5.2), IDENTITY_ENDPOINT = app_service_endpoint():
//     GET  /msi/token?resource=<resource>&api-version=2019-08-01 [&client_id=…]   X-IDENTITY-HEADER: <header>
//          → 200 {"access_token","expires_on":"<epoch>","not_before":"<epoch>","resource","token_type":"Bearer",
//                 "client_id"} (epochs are strings)
//          → 400 {"statusCode":400,"message":"…","correlationId":"…"}
//   VM managed identity, IMDS (§5.3), under imds_endpoint():
//     GET  /metadata/identity/oauth2/token?api-version=2018-02-01&resource=<resource> [&client_id=…]  Metadata: true
//          → 200 {"access_token","refresh_token":"","expires_in","expires_on","not_before","resource",
//                 "token_type":"Bearer"} (every value a string)
//          → 400 {"error":"invalid_request","error_description":"Required metadata header not specified"} etc.
//
// Tokens are opaque unique strings. Each is remembered with its audience (the scope without "/.default", or the
// resource; a trailing "/" is normalised away, so "https://storage.azure.com/" and the scope
// "https://storage.azure.com/.default" name the same audience) and its expiry on the wall clock, so that fake
// resource servers (FakeLogsIngestion) can check them with valid().
//
// Where the reference is silent the fake chooses and says so here: the AADSTS codes and texts are modelled on
// Entra's but only the shape is documented; the App Service error body ({"statusCode","message","correlationId"})
// and the IMDS error texts other than the missing Metadata header are plausible, not documented; a resource
// written as a v2 scope ("…/.default") is refused by both managed identity flows (they take v1 resources); the
// api-version must be exactly the documented one; a user-assigned identity can only be chosen by client_id (the
// fake has one identity, options.client_id; object_id / principal_id / mi_res_id / msi_res_id are refused).
//
// Scripted behaviour (fail_next, delay_next) is consumed one request at a time, in arrival order, across all
// routes. Every request is recorded.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/loopback_server.hpp"
#include "support/scripted_faults.hpp"

namespace sb::test {

//! The one tenant, application and managed identity the fake knows, and how long its tokens last.
struct FakeEntraOptions {
  std::string tenant_id = "11111111-2222-3333-4444-555555555555";
  std::string client_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";  // the app, and the managed identity's client id
  std::string client_secret = "fake-client-secret-value";
  std::string federated_token = "fake.federated.jwt";    // the only client_assertion accepted
  std::string identity_header = "fake-identity-header";  // App Service IDENTITY_HEADER
  std::chrono::seconds lifetime{3599};
};

//! A fresh random version-4 GUID, lower-case "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string random_guid();

//! `scope_or_resource` as a token audience: without a trailing "/.default", then without trailing "/".
std::string token_audience(std::string_view scope_or_resource);

class FakeEntra {
 public:
  //! The value grant_type must have, and client_assertion_type with a federated credential.
  static constexpr std::string_view kClientCredentials = "client_credentials";
  static constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  static constexpr std::string_view kAppServiceApiVersion = "2019-08-01";
  static constexpr std::string_view kImdsApiVersion = "2018-02-01";
  static constexpr std::string_view kImdsPath = "/metadata/identity/oauth2/token";

  explicit FakeEntra(FakeEntraOptions options = {});
  //! Wakes delayed replies, then stops the server.
  ~FakeEntra();
  FakeEntra(const FakeEntra&) = delete;
  FakeEntra& operator=(const FakeEntra&) = delete;

  //! Binds a free port on 127.0.0.1 and serves; throws std::runtime_error when it cannot.
  void start();
  //! The authority host, "http://127.0.0.1:PORT" (tokens at url() + "/{tenant}/oauth2/v2.0/token").
  std::string url() const;
  //! What IDENTITY_ENDPOINT would hold on App Service: url() + "/msi/token".
  std::string app_service_endpoint() const;
  //! The IMDS origin (stands for http://169.254.169.254); the token path kImdsPath is under it.
  std::string imds_endpoint() const;
  const FakeEntraOptions& options() const { return options_; }

  //! True when `token` was issued by this fake for `audience` (normalised like token_audience), has not
  //! expired (wall clock) and was not revoked.
  bool valid(std::string_view token, std::string_view audience) const;
  //! Every token issued so far becomes invalid; later ones are valid again.
  void revoke_all();
  //! The lifetime of tokens issued from now on (0 or less: they are born expired).
  void set_lifetime(std::chrono::seconds lifetime);

  //! The next `count` requests get `status` (429, 500, 503, …) with the route's error body, and a Retry-After
  //! header when `retry_after` is not empty.
  void fail_next(int status, int count = 1, std::string retry_after = "");
  //! The next request is answered normally after `delay`.
  void delay_next(std::chrono::milliseconds delay);

  //! Tokens issued successfully, all flows together.
  size_t token_requests() const;
  //! Every request received, in arrival order (bodies hold credentials: do not print them).
  std::vector<RecordedRequest> requests() const;
  //! Every token issued, in order.
  std::vector<std::string> issued_tokens() const;

 private:
  enum class Flow { kClientCredentials, kAppService, kImds };
  struct Issued {
    std::string audience;
    std::chrono::system_clock::time_point expires_at;
    bool revoked = false;
  };
  struct Reply {
    int status = 200;
    std::string body;
  };
  struct Grant {
    std::string token;
    std::chrono::system_clock::time_point issued_at;
    std::chrono::system_clock::time_point expires_at;
    std::chrono::seconds lifetime{0};
  };

  void serve(Flow flow, const httplib::Request& request, httplib::Response& response);
  Reply client_credentials(const httplib::Request& request);
  Reply app_service(const httplib::Request& request);
  Reply imds(const httplib::Request& request);
  Reply scripted_failure(Flow flow, int status) const;
  Reply entra_error(int status, std::string_view error, int code, std::string_view description) const;
  //! Records a new token for `audience` with the current lifetime.
  Grant issue(std::string audience);

  FakeEntraOptions options_;

  ScriptedFaults faults_;  // thread-safe on its own

  mutable std::mutex mutex_;  // guards everything below
  std::chrono::seconds lifetime_;
  std::map<std::string, Issued, std::less<>> tokens_;
  std::vector<std::string> issued_order_;
  uint64_t counter_ = 0;
  std::mt19937_64 random_;

  LoopbackServer server_;  // last: destroyed first, while the state its handlers use is still alive
};

}  // namespace sb::test
