// Azurite's Table service (npm `azurite`, installed by scripts/bootstrap with npm ci) on 127.0.0.1 and a free
// port, in memory, for the Table storage tests; stopped with the object.
#pragma once

#include <sys/types.h>

#include <string>

namespace sb::test {

//! Azurite's well-known development account (microsoft.md §8.2).
inline constexpr const char* kAzuriteAccount = "devstoreaccount1";
inline constexpr const char* kAzuriteKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

class AzuriteTable {
 public:
  AzuriteTable();
  ~AzuriteTable();
  AzuriteTable(const AzuriteTable&) = delete;
  AzuriteTable& operator=(const AzuriteTable&) = delete;

  //! http://127.0.0.1:PORT/devstoreaccount1, or empty when it did not start (error() says why).
  const std::string& endpoint() const { return endpoint_; }
  const std::string& error() const { return error_; }

 private:
  pid_t pid_ = -1;
  std::string endpoint_;
  std::string error_;
};

}  // namespace sb::test
