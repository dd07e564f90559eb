// `ingest` with the logs_ingestion sink, end to end through the binary: the real Spectra Detect samples reach a
// fake Logs Ingestion endpoint once each with tokens from a fake Entra ID, a refused credential stops the run and
// leaves the report, a managed identity is found in the environment, and no secret or token is ever printed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "support/fake_entra.hpp"
#include "support/fake_logs_ingestion.hpp"
#include "support/test_support.hpp"

namespace sb::test {
namespace {

namespace fs = std::filesystem;

class LogsIngestionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    entra_.start();
    service_.start();
    ::setenv("SB_TEST_AZURE_SECRET", entra_.options().client_secret.c_str(), 1);
    inbox_ = dir_.path() / "spectra-bridge-data" / "inbox" / "detect";
    for (const char* name : {"tiscale_response.json", "sdk_py3_test_tiscale_flat_view_result.json"}) {
      fs::create_directories(inbox_);
      fs::copy_file(samples_dir() / "spectra-detect" / name, inbox_ / name);
    }
  }
  void TearDown() override {
    ::unsetenv("SB_TEST_AZURE_SECRET");
    ::unsetenv("IDENTITY_ENDPOINT");
    ::unsetenv("IDENTITY_HEADER");
  }

  void write_config(const std::string& azure_section) {
    write_file(dir_.path() / "spectra-bridge.toml",
               "[ingest]\nsinks = [\"store\", \"logs_ingestion\"]\n"
               "[ingest.logs_ingestion]\nendpoint = \"" +
                   service_.url() + "\"\ndcr_immutable_id = \"" + service_.dcr_immutable_id() + "\"\n" + azure_section);
  }
  std::string client_secret_section(const std::string& secret_reference = "env:SB_TEST_AZURE_SECRET") const {
    return "[azure]\nauth = \"client_secret\"\nauthority_host = \"" + entra_.url() + "\"\ntenant_id = \"" +
           entra_.options().tenant_id + "\"\nclient_id = \"" + entra_.options().client_id + "\"\nclient_secret = \"" +
           secret_reference + "\"\n";
  }
  int64_t store_rows() const {
    return query_int(dir_.path() / "spectra-bridge-data" / "store.db", "SELECT COUNT(*) FROM spectra_detect_logs");
  }
  void expect_no_secret_in(const CommandResult& run) const {
    std::vector<std::string> secrets = entra_.issued_tokens();
    secrets.push_back(entra_.options().client_secret);
    secrets.push_back(entra_.options().identity_header);
    for (const auto& secret : secrets) {
      EXPECT_EQ(run.out.find(secret), std::string::npos) << "a secret or token was printed";
      EXPECT_EQ(run.err.find(secret), std::string::npos) << "a secret or token was logged";
    }
  }

  FakeEntra entra_;
  FakeLogsIngestion service_{entra_};
  TempDir dir_;
  fs::path inbox_;
};

TEST_F(LogsIngestionCli, EveryRowOfTheSamplesArrivesOnceAndNoSecretShows) {
  write_config(client_secret_section());
  // `run --once` (not `ingest`) prints the summary.
  const auto run = run_binary({"--log-level", "debug", "run", "--once"}, dir_.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto ids = service_.accepted_record_ids();
  ASSERT_GT(ids.size(), 0u);
  EXPECT_EQ(static_cast<int64_t>(ids.size()), store_rows());
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_TRUE(fs::exists(inbox_ / "done" / "tiscale_response.json"));
  EXPECT_NE(run.out.find("Logs Ingestion (Custom-SpectraDetectLogs): " + std::to_string(ids.size()) +
                         " row(s) delivered in 1 request(s)"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(entra_.token_requests(), 1u);
  expect_no_secret_in(run);
  for (const auto& request : service_.ingest_requests()) {
    EXPECT_TRUE(request.gzip);
    EXPECT_LE(request.json_bytes, FakeLogsIngestion::kMaxRequestBytes);
  }
}

TEST_F(LogsIngestionCli, ARefusedCredentialStopsTheRunAndLeavesTheReports) {
  ::setenv("SB_TEST_AZURE_SECRET", "not-the-secret-4242", 1);
  write_config(client_secret_section());
  const auto run = run_binary({"ingest", "--once"}, dir_.path());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("AADSTS7000215"), std::string::npos) << run.err;
  EXPECT_TRUE(fs::exists(inbox_ / "tiscale_response.json"));
  EXPECT_TRUE(service_.ingest_requests().empty());
  EXPECT_EQ(run.err.find("not-the-secret-4242"), std::string::npos);
  EXPECT_EQ(run.out.find("not-the-secret-4242"), std::string::npos);
}

//! Regression (issue 9): with sinks = ["store", "logs_ingestion"] the store committed its transaction in its own flush
//! before Logs Ingestion refused the token twice, so the store held every row of reports that stayed in the inbox and
//! were never delivered, and the local provider served verdicts from them. The store now commits last.
TEST_F(LogsIngestionCli, RegressionTheStoreHoldsNoRowOfABatchLogsIngestionRefused) {
  write_config(client_secret_section());
  service_.fail_next(401, 2);
  const auto run = run_binary({"ingest", "--once"}, dir_.path());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("refused twice"), std::string::npos) << run.err;
  EXPECT_TRUE(fs::exists(inbox_ / "tiscale_response.json"));
  EXPECT_TRUE(service_.accepted_record_ids().empty());
  EXPECT_EQ(store_rows(), 0) << "rows of an undelivered batch were committed to the store";
}

TEST_F(LogsIngestionCli, AnAppServiceManagedIdentityIsFoundInTheEnvironment) {
  ::setenv("IDENTITY_ENDPOINT", entra_.app_service_endpoint().c_str(), 1);
  ::setenv("IDENTITY_HEADER", entra_.options().identity_header.c_str(), 1);
  write_config("");  // [azure] auth = "default", nothing else configured
  const auto run = run_binary({"--log-level", "debug", "ingest", "--once"}, dir_.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(static_cast<int64_t>(service_.accepted_record_ids().size()), store_rows());
  EXPECT_EQ(entra_.requests().at(0).path, "/msi/token");
  expect_no_secret_in(run);
}

TEST_F(LogsIngestionCli, ConfigCheckRefusesAPlainHttpEndpointOffLoopback) {
  write_file(dir_.path() / "spectra-bridge.toml",
             "[ingest.logs_ingestion]\nendpoint = \"http://my-dce.eastus-1.ingest.monitor.azure.com\"\n");
  const auto run = run_binary({"config", "check"}, dir_.path());
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("ingest.logs_ingestion.endpoint"), std::string::npos) << run.err;
}

TEST_F(LogsIngestionCli, DoctorChecksTheTokenAndTheDcrAndNamesTheFix) {
  write_config(client_secret_section());
  const auto good = run_binary({"doctor"}, dir_.path());
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("OK    token                  https://monitor.azure.com/.default (client secret of app " +
                          entra_.options().client_id),
            std::string::npos)
      << good.out;
  EXPECT_NE(good.out.find("OK    logs ingestion         DCR " + service_.dcr_immutable_id()), std::string::npos);
  EXPECT_TRUE(service_.accepted_record_ids().empty());  // the probe is an empty array

  service_.forbid(true);
  const auto denied = run_binary({"doctor"}, dir_.path());
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.out.find("FAIL  logs ingestion"), std::string::npos) << denied.out;
  EXPECT_NE(denied.out.find("grant the Monitoring Metrics Publisher role on the data collection rule"),
            std::string::npos);
  EXPECT_NE(denied.out.find("identity: client secret of app " + entra_.options().client_id), std::string::npos);
  expect_no_secret_in(denied);
}

}  // namespace
}  // namespace sb::test
