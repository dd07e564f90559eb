// A fake Azure Key Vault data plane (secrets, read only) on 127.0.0.1, for tests of secret resolution.
//
// Under the vault base URL url():
//
//   GET /secrets/{secret-name}[/{secret-version}]?api-version=7.4      (the version absent: the latest one)
//       Authorization: Bearer <token for https://vault.azure.net>     (needs the secrets/get permission)
//     → 200 {"value":"…","id":"<url()>/secrets/{name}/{version}",
//            "attributes":{"enabled":true,"created":<epoch>,"updated":<epoch>,"recoveryLevel":"Recoverable+Purgeable"}}
//     → error: {"error":{"code":"…","message":"…"}}
//
// Checks, in this order:
//   scripted fault (fail_next)                    → its status (+ Retry-After): 429 Throttled,
//                                                    500 InternalServerError, 502 BadGateway,
//                                                    503 ServiceUnavailable, 504 GatewayTimeout, else UnknownError
//   token missing / not valid for https://vault.azure.net → 401 Unauthorized with
//       WWW-Authenticate: Bearer authorization="<entra.url()>/<tenant>", resource="https://vault.azure.net"
//   a path other than /secrets/{name}[/{version}] → 404 NotFound
//   a method other than GET                       → 405 MethodNotAllowed
//   api-version missing or older than 7.0         → 400 BadParameter
//   deny(true)                                    → 403 Forbidden, "innererror":{"code":"ForbiddenByRbac"}
//   a name that is not 1–127 of [0-9a-zA-Z-]      → 400 BadParameter
//   unknown secret or version                     → 404 SecretNotFound ("A secret with (name/id) X was not found in
//                                                    this key vault. …"; X is name or name/version)
//
// Where the reference is silent the fake chooses and says so here: the check order; the codes and messages other
// than those above; accepted api-versions are "7.N" (N any number, 7.0 included), any major above 7, and date
// versions "YYYY-MM-DD" from 2025-01-01 on (the date-named versions that followed 7.6; the pre-7.0 dates 2015-06-01
// and 2016-10-01 are refused), each optionally with a "-preview…" suffix; secret names and versions match without
// regard to case, as in Key Vault, and the id carries the name as first set; a trailing "/" after the name or
// version is allowed; every response carries a fresh GUID in x-ms-request-id and echoes x-ms-client-request-id when
// sent; created and updated are both the epoch second at which set_secret made the version; a version id is a random
// version-4 GUID without its dashes.
//
// Scripted behaviour (fail_next, delay_next) is consumed one request at a time, in arrival order. Thread-safe: the
// server's handlers run concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_entra.hpp"
#include "support/loopback_server.hpp"
#include "support/scripted_faults.hpp"

namespace sb::test {

class FakeKeyVault {
 public:
  //! The token audience Key Vault accepts (scope https://vault.azure.net/.default).
  static constexpr std::string_view kAudience = "https://vault.azure.net";
  static constexpr std::string_view kRecoveryLevel = "Recoverable+Purgeable";

  //! `entra` must outlive the fake; its valid() decides which bearer tokens are accepted, and its url() and tenant
  //! make the 401 challenge.
  explicit FakeKeyVault(const FakeEntra& entra);
  //! Wakes delayed replies, then stops the server.
  ~FakeKeyVault();
  FakeKeyVault(const FakeKeyVault&) = delete;
  FakeKeyVault& operator=(const FakeKeyVault&) = delete;

  //! Binds a free port on 127.0.0.1 and serves; throws std::runtime_error when it cannot.
  void start();
  //! The vault base URL, "http://127.0.0.1:PORT" (stands for https://myvault.vault.azure.net).
  std::string url() const;

  //! Adds a new version of secret `name` (1–127 of [0-9a-zA-Z-], else std::invalid_argument) holding `value`, and
  //! returns its version id (32 lower-case hex digits). It becomes the latest; older versions stay readable.
  std::string set_secret(std::string name, std::string value);
  //! While true, authenticated requests get 403 ForbiddenByRbac, as without the secrets/get permission.
  void deny(bool denied);

  //! True when the fake accepts `version` as an api-version (see the file comment).
  static bool supported_api_version(std::string_view version);

  //! The next `count` requests get `status` (429, 500, 503, …) with an error body, and a Retry-After header when
  //! `retry_after` is not empty.
  void fail_next(int status, int count = 1, std::string retry_after = "");
  //! The next request is answered normally after `delay`.
  void delay_next(std::chrono::milliseconds delay);

  //! Every request received, in arrival order. Authorization headers hold tokens: do not print them.
  std::vector<RecordedRequest> requests() const;
  //! Secret values served (200 answers).
  size_t secret_reads() const;

 private:
  struct Version {
    std::string id;
    std::string value;
    int64_t created = 0;  // epoch seconds
  };
  struct Secret {
    std::string name;               // as first set
    std::vector<Version> versions;  // oldest first
  };
  struct Reply {
    int status = 200;
    std::string body;  // success
    std::string code;  // error, with message and inner_code
    std::string message;
    std::string inner_code;
  };

  void serve(const httplib::Request& request, httplib::Response& response);
  Reply check(const httplib::Request& request, bool& challenge);

  const FakeEntra& entra_;
  ScriptedFaults faults_;  // thread-safe on its own

  mutable std::mutex mutex_;                            // guards everything below
  std::map<std::string, Secret, std::less<>> secrets_;  // by lower-case name
  bool denied_ = false;
  size_t secret_reads_ = 0;

  LoopbackServer server_;  // last: destroyed first, while the state its handlers use is still alive
};

}  // namespace sb::test
