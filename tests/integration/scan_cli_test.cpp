// The built binary end to end for the scanner: the embedded default (local verdicts from ingested reports),
// replays, Spectra Intelligence through a fake server, `lookup`, and URL and secret rules.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/azurite.hpp"
#include "support/fake_entra.hpp"
#include "support/fake_graph.hpp"
#include "support/fake_reversinglabs.hpp"
#include "support/test_support.hpp"

namespace sb::test {
namespace {

namespace fs = std::filesystem;

using test::defender_message;

TEST(ScanCli, EmbeddedDefaultEnrichesAlertsFromIngestedReportsAndReplaysAddNothing) {
  TempDir dir;
  ASSERT_EQ(run_binary({"gen", "reports", "--count", "40", "--seed", "3", "--out", "spectra-bridge-data/inbox/detect"},
                       dir.path())
                .exit_code,
            0);
  ASSERT_EQ(run_binary({"gen", "defender", "--count", "200", "--seed", "3", "--report-seed", "3", "--out",
                        "spectra-bridge-data/inbox/defender"},
                       dir.path())
                .exit_code,
            0);
  const auto run = run_binary({"run", "--once"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto db = dir.path() / "spectra-bridge-data" / "store.db";
  const auto enrichments = query_int(db, "SELECT COUNT(*) FROM enrichments");
  EXPECT_GT(enrichments, 50);
  // Files the reports classified reach the alerts without any cloud call.
  EXPECT_GT(query_int(db, "SELECT COUNT(*) FROM enrichments WHERE classification = 'malicious'"), 0);
  EXPECT_GT(query_int(db, "SELECT COUNT(*) FROM enrichments WHERE comment LIKE '%[local]%'"), 0);
  EXPECT_EQ(
      query_int(db, "SELECT COUNT(*) FROM enrichments WHERE comment NOT LIKE '%spectra-bridge:' || alert_id || ':%'"),
      0);
  EXPECT_NE(run.out.find("Enrichments: "), std::string::npos);

  // The same messages again: recognised by their markers, nothing new.
  const auto done = dir.path() / "spectra-bridge-data" / "inbox" / "defender" / "done";
  for (const auto& entry : fs::directory_iterator(done)) {
    fs::copy_file(entry.path(), done.parent_path() / ("again-" + entry.path().filename().string()));
  }
  const auto again = run_binary({"scan", "--once"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM enrichments"), enrichments);
  EXPECT_NE(again.out.find("Enrichments: 0 new"), std::string::npos) << again.out;
}

class ScanCliIntelligence : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("SB_TEST_SI_PASSWORD", fake_.options().password.c_str(), 1);
    sample_ = FakeSample::tox_ransomware();
    fake_.add_sample(sample_);
    write_file(dir_.path() / "spectra-bridge.toml",
               "[scan]\nproviders = [\"spectra_intelligence\"]\n"
               "[scan.spectra_intelligence]\nurl = \"" +
                   fake_.base_url() + "\"\nusername = \"" + fake_.options().username +
                   "\"\npassword = \"env:SB_TEST_SI_PASSWORD\"\n");
  }
  void TearDown() override { ::unsetenv("SB_TEST_SI_PASSWORD"); }

  FakeReversingLabs fake_{FakeProduct::kSpectraIntelligence};
  FakeSample sample_;
  TempDir dir_;
};

TEST_F(ScanCliIntelligence, AlertsSharingAHashCostOneRequestAndTheSecretNeverShows) {
  const std::string unknown(40, 'e');
  const auto inbox = dir_.path() / "spectra-bridge-data" / "inbox" / "defender";
  for (int i = 0; i < 5; ++i) {
    const std::string n = std::to_string(i);
    write_file(inbox / fmt::format("m{}.json", n),
               defender_message(fmt::format("alert-{}", n), i == 4 ? unknown : sample_.sha1));
  }
  const auto run = run_binary({"--log-level", "debug", "scan", "--once"}, dir_.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto db = dir_.path() / "spectra-bridge-data" / "store.db";
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM enrichments"), 5);
  EXPECT_EQ(query_int(db,
                      "SELECT COUNT(*) FROM enrichments WHERE classification = 'malicious' AND threat_name = "
                      "'Win32.Ransomware.Tox'"),
            4);
  // Two distinct hashes, one batch: a single bulk request.
  ASSERT_EQ(fake_.request_count(), 1u);
  EXPECT_EQ(fake_.requests()[0].method, "POST");
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM lookup_history"), 4);  // sha1, sha256, md5 aliases + the unknown
  EXPECT_EQ(run.err.find(fake_.options().password), std::string::npos);
  EXPECT_EQ(run.out.find(fake_.options().password), std::string::npos);

  // Next run: the lookup history answers; no request.
  write_file(dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / "later.json",
             defender_message("alert-later", sample_.sha1));
  ASSERT_EQ(run_binary({"scan", "--once"}, dir_.path()).exit_code, 0);
  EXPECT_EQ(fake_.request_count(), 1u);
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM enrichments"), 6);
}

TEST_F(ScanCliIntelligence, TwoInstancesSharingTheAzureTableHistoryAskAboutAHashOnce) {
  AzuriteTable azurite;
  ASSERT_FALSE(azurite.endpoint().empty()) << azurite.error();
  ::setenv("SB_TEST_TABLE_KEY", kAzuriteKey, 1);
  const std::unique_ptr<const char, void (*)(const char*)> unset_key("SB_TEST_TABLE_KEY",
                                                                     [](const char* name) { ::unsetenv(name); });
  const std::string history = "[scan.history]\nbackend = \"azure_table\"\n[scan.history.azure_table]\nendpoint = \"" +
                              azurite.endpoint() + "\"\naccount_key = \"env:SB_TEST_TABLE_KEY\"\n";
  const std::string config = read_text(dir_.path() / "spectra-bridge.toml") + history;
  // Two instances: each its own folder, data and store; the history is the one table.
  TempDir other;
  for (const auto* where : {&dir_, &other}) write_file(where->path() / "spectra-bridge.toml", config);
  write_file(dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / "a.json",
             defender_message("alert-a", sample_.sha1));
  write_file(other.path() / "spectra-bridge-data" / "inbox" / "defender" / "b.json",
             defender_message("alert-b", sample_.sha1));
  const auto first = run_binary({"scan", "--once"}, dir_.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(fake_.request_count(), 1u);
  const auto second = run_binary({"scan", "--once"}, other.path());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(fake_.request_count(), 1u) << "the second instance found the first one's verdict in the table";
  const auto db = other.path() / "spectra-bridge-data" / "store.db";
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM enrichments WHERE threat_name = 'Win32.Ransomware.Tox'"), 1);
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM lookup_history"), 0) << "the local store kept no history";
  EXPECT_EQ(second.err.find(kAzuriteKey), std::string::npos);

  const auto doctor = run_binary({"doctor"}, other.path());
  EXPECT_NE(doctor.out.find("table spectrabridgehistory of account devstoreaccount1"), std::string::npos)
      << doctor.out << doctor.err;
  EXPECT_EQ(doctor.out.find(kAzuriteKey), std::string::npos);

  // A wrong key stops the start and says which key to check.
  ::setenv("SB_TEST_TABLE_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1);
  const auto refused = run_binary({"scan", "--once"}, other.path());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("account_key"), std::string::npos) << refused.err;
}

TEST_F(ScanCliIntelligence, RefusedCredentialsStopTheScanAndLeaveTheInput) {
  fake_.fail_next(10, 401);
  write_file(dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / "m.json",
             defender_message("a", sample_.sha1));
  const auto run = run_binary({"scan", "--once"}, dir_.path());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("401"), std::string::npos) << run.err;
  EXPECT_EQ(fake_.request_count(), 1u);  // never retried
  EXPECT_TRUE(fs::exists(dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / "m.json"));
  EXPECT_EQ(run.err.find(fake_.options().password), std::string::npos);
}

TEST_F(ScanCliIntelligence, LookupPrintsEachProvidersAnswer) {
  const auto known = run_binary({"lookup", sample_.sha1, std::string(40, 'e')}, dir_.path());
  ASSERT_EQ(known.exit_code, 0) << known.err;
  EXPECT_NE(known.out.find(sample_.sha1 + "  spectra_intelligence  malicious  Win32.Ransomware.Tox"), std::string::npos)
      << known.out;
  EXPECT_NE(known.out.find(std::string(40, 'e') + "  spectra_intelligence  unknown"), std::string::npos);

  const auto json = run_binary({"lookup", "--json", sample_.sha1}, dir_.path());
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find(R"("classification":"malicious")"), std::string::npos) << json.out;

  EXPECT_EQ(run_binary({"lookup", "not-a-hash"}, dir_.path()).exit_code, 2);
  fake_.fail_next(1, 401);
  const auto refused = run_binary({"lookup", sample_.sha1}, dir_.path());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("FAILED"), std::string::npos);
}

TEST(ScanCliConfig, PlainHttpIsOnlyForLoopbackHosts) {
  TempDir dir;
  write_file(dir.path() / "bad.toml", "[scan.spectra_intelligence]\nurl = \"http://data.reversinglabs.com\"\n");
  const auto bad = run_binary({"config", "check", "bad.toml"}, dir.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE((bad.out + bad.err).find("scan.spectra_intelligence.url"), std::string::npos);
  write_file(dir.path() / "good.toml", "[scan.spectra_analyze]\nurl = \"http://127.0.0.1:8443\"\n");
  EXPECT_EQ(run_binary({"config", "check", "good.toml"}, dir.path()).exit_code, 0);
}

TEST(ScanCliConfig, SecretsComeOnlyFromReferences) {
  TempDir dir;
  write_file(dir.path() / "c.toml", "[scan.spectra_analyze]\ntoken = \"very-secret-token-123\"\n");
  const auto check = run_binary({"config", "check", "c.toml"}, dir.path());
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("scan.spectra_analyze.token: must be a secret reference"), std::string::npos) << check.err;
  EXPECT_EQ((check.out + check.err).find("very-secret-token-123"), std::string::npos);
  write_file(dir.path() / "r.toml", "[scan.spectra_analyze]\ntoken = \"file:/run/secrets/a1000\"\n");
  const auto reference = run_binary({"config", "check", "r.toml"}, dir.path());
  EXPECT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_NE(reference.out.find("token = \"file:/run/secrets/a1000\""), std::string::npos) << reference.out;
}

class ScanCliGraph : public ::testing::Test {
 protected:
  void SetUp() override {
    entra_.start();
    graph_.start();
    graph_.add_alert("da1", "101");
    graph_.add_alert("da2", "101");
    graph_.add_incident("101", {"analyst"});
    ::setenv("SB_TEST_AZURE_SECRET", entra_.options().client_secret.c_str(), 1);
    write_file(dir_.path() / "spectra-bridge.toml",
               "[scan]\nwriters = [\"graph\", \"store\"]\n[scan.graph]\nendpoint = \"" + graph_.url() +
                   "\"\ntags = [\"ReversingLabs: {classification}\"]\n"
                   "[azure]\nauth = \"client_secret\"\nauthority_host = \"" +
                   entra_.url() + "\"\ntenant_id = \"" + entra_.options().tenant_id + "\"\nclient_id = \"" +
                   entra_.options().client_id + "\"\nclient_secret = \"env:SB_TEST_AZURE_SECRET\"\n");
    for (const char* alert : {"da1", "da2"}) {
      write_file(dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / (std::string(alert) + ".json"),
                 defender_message(alert, std::string(40, 'c')));
    }
  }
  void TearDown() override { ::unsetenv("SB_TEST_AZURE_SECRET"); }

  FakeEntra entra_;
  FakeGraph graph_{entra_};
  TempDir dir_;
};

TEST_F(ScanCliGraph, EachAlertIsCommentedOnceOnItselfAndItsIncidentAndAReplayPostsNothing) {
  const auto run = run_binary({"--log-level", "debug", "scan", "--once"}, dir_.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(graph_.alert_comments("da1").size(), 1u);
  EXPECT_EQ(graph_.alert_comments("da2").size(), 1u);
  EXPECT_EQ(graph_.incident_comments("101").size(), 2u);  // one per alert, never one per hash
  EXPECT_NE(graph_.alert_comments("da1")[0].find("spectra-bridge:da1:"), std::string::npos);
  EXPECT_EQ(graph_.incident_tags("101"), (std::vector<std::string>{"analyst", "ReversingLabs: unknown"}));
  EXPECT_EQ(run.err.find(entra_.options().client_secret), std::string::npos);
  for (const auto& token : entra_.issued_tokens()) EXPECT_EQ(run.err.find(token), std::string::npos);

  // The same messages again after a "crash" that lost the store: the markers on Graph stop a second post.
  fs::remove(dir_.path() / "spectra-bridge-data" / "store.db");
  const auto done = dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / "done";
  for (const auto& entry : fs::directory_iterator(done)) {
    fs::copy_file(entry.path(), done.parent_path() / ("again-" + entry.path().filename().string()));
  }
  const auto again = run_binary({"scan", "--once"}, dir_.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(graph_.alert_comments("da1").size(), 1u);
  EXPECT_EQ(graph_.incident_comments("101").size(), 2u);
}

TEST_F(ScanCliGraph, DoctorChecksGraphReadAccessAndNamesAMissingPermission) {
  const auto good = run_binary({"doctor"}, dir_.path());
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("OK    token                  https://graph.microsoft.com/.default"), std::string::npos)
      << good.out;
  EXPECT_NE(good.out.find("OK    graph alerts"), std::string::npos);
  EXPECT_NE(good.out.find("OK    graph incidents"), std::string::npos);

  graph_.deny("SecurityIncident.Read.All");
  graph_.deny("SecurityIncident.ReadWrite.All");
  const auto denied = run_binary({"doctor"}, dir_.path());
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.out.find("FAIL  graph incidents"), std::string::npos) << denied.out;
  EXPECT_NE(denied.out.find("SecurityIncident.Read.All"), std::string::npos);
  EXPECT_NE(denied.out.find("OK    graph alerts"), std::string::npos);
}

TEST_F(ScanCliGraph, AMissingPermissionStopsTheScanNamingItAndLeavesTheInput) {
  graph_.deny("SecurityIncident.ReadWrite.All");
  const auto run = run_binary({"scan", "--once"}, dir_.path());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("SecurityIncident.ReadWrite.All"), std::string::npos) << run.err;
  EXPECT_TRUE(fs::exists(dir_.path() / "spectra-bridge-data" / "inbox" / "defender" / "da1.json"));
}

}  // namespace
}  // namespace sb::test
