// The built binary reading Defender messages from an event hub, stood in for by librdkafka's mock cluster (a real
// Kafka-protocol broker in a helper process): a --once backfill that commits, poison messages dead-lettered while
// their partition goes on, SIGKILL mid-run with Graph comments made exactly once, and instances splitting a group.
#include <gtest/gtest.h>
#include <signal.h>

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "support/fake_entra.hpp"
#include "support/fake_graph.hpp"
#include "support/kafka_mock.hpp"
#include "support/test_support.hpp"

namespace sb::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kTopic = "evh-defender";
constexpr auto kRunLimit = 120s;

std::string alert_id(int partition, int n) {
  return fmt::format("p{}-a{}", partition, n);
}

//! `count` messages on each of `partitions` partitions, one alert each.
void produce_alerts(KafkaMock& mock, int partitions, int count) {
  for (int p = 0; p < partitions; ++p) {
    std::vector<std::optional<std::string>> values;
    for (int n = 0; n < count; ++n) values.emplace_back(defender_message(alert_id(p, n), std::string(40, 'c')));
    ASSERT_TRUE(mock.produce(kTopic, p, values));
  }
}

fs::path store_of(const TempDir& dir) {
  return dir.path() / "spectra-bridge-data" / "store.db";
}

TEST(EventHubsCli, OnceReadsToTheEndOffsetsCommitsAndASecondRunReadsNothing) {
  KafkaMock mock({{kTopic, 3}});
  ASSERT_FALSE(mock.bootstrap().empty());
  produce_alerts(mock, 3, 20);
  TempDir dir;
  write_file(dir.path() / "spectra-bridge.toml", event_hubs_config(mock, kTopic, "g1"));
  const auto run = run_binary({"scan", "--once"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(query_int(store_of(dir), "SELECT COUNT(*) FROM enrichments"), 60);
  EXPECT_NE(run.out.find("Scanned 60 message(s)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("partition 2: lag 0"), std::string::npos) << run.out;
  for (int p = 0; p < 3; ++p) EXPECT_EQ(mock.committed("g1", kTopic, p), 20) << "partition " << p;

  const auto again = run_binary({"scan", "--once"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Scanned 0 message(s)"), std::string::npos) << again.out;

  // What arrives later is read by the next backfill only.
  ASSERT_TRUE(mock.produce(kTopic, 1, {defender_message("late", std::string(40, 'c'))}));
  const auto later = run_binary({"scan", "--once"}, dir.path());
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(query_int(store_of(dir), "SELECT COUNT(*) FROM enrichments WHERE alert_id = 'late'"), 1);
  EXPECT_EQ(mock.committed("g1", kTopic, 1), 21);
}

TEST(EventHubsCli, PoisonMessagesAreDeadLetteredWithTheirPlaceAndThePartitionGoesOn) {
  // The two large ones have partitions of their own: the mock broker keeps only about 5 MB per partition.
  KafkaMock mock({{kTopic, 3}});
  ASSERT_FALSE(mock.bootstrap().empty());
  std::string many = R"({"records":[)";
  for (int i = 0; i < 100'000; ++i) many += std::string(i == 0 ? "" : ",") + R"({"category":"AdvancedHunting-Other"})";
  many += "]}";
  ASSERT_TRUE(mock.produce(
      kTopic, 0,
      {
          defender_message("before", std::string(40, 'c')),
          std::string("not json at all"),
          std::string(R"({"value":[]})"),  // not a Streaming API envelope
          std::string(R"({"records":[{"category":"AdvancedHunting-AlertEvidence","properties":"a string"}]})"),
          std::string(
              R"({"records":[{"category":"AdvancedHunting-AlertEvidence","properties":{"AlertId":"short","EntityType":"File","SHA1":"abc"}}]})"),
          std::string(),  // empty
          std::nullopt,   // a tombstone
          defender_message("after", std::string(40, 'c')),
      }));
  ASSERT_TRUE(
      mock.produce(kTopic, 1, {std::string(5'000'000, ' '), defender_message("after-5mb", std::string(40, 'c'))}));
  ASSERT_TRUE(mock.produce(kTopic, 2, {many, defender_message("after-many", std::string(40, 'c'))}));
  TempDir dir;
  write_file(dir.path() / "spectra-bridge.toml",
             event_hubs_config(mock, kTopic, "g2", "max_message_bytes = 1000000\n"));

  const auto run = run_binary({"scan", "--once"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto db = store_of(dir);
  EXPECT_EQ(query_int(db,
                      "SELECT COUNT(*) FROM enrichments WHERE alert_id IN ('before', 'after', 'after-5mb', "
                      "'after-many')"),
            4)
      << run.err;
  // Every bad message is a dead letter named topic/partition@offset, with its reason and payload.
  EXPECT_EQ(query_int(db,
                      "SELECT COUNT(*) FROM dead_letters WHERE name = 'evh-defender/0@1' AND CAST(payload AS TEXT) "
                      "= 'not json at all'"),
            1);
  for (const char* name : {"evh-defender/0@2", "evh-defender/0@5", "evh-defender/0@6", "evh-defender/1@0"}) {
    EXPECT_EQ(query_int(db, fmt::format("SELECT COUNT(*) FROM dead_letters WHERE name = '{}' AND source = "
                                        "'event_hubs' AND reason <> ''",
                                        name)),
              1)
        << name << "\n"
        << run.err;
  }
  EXPECT_EQ(query_int(db,
                      "SELECT COUNT(*) FROM dead_letters WHERE name = 'evh-defender/1@0' AND length(payload) = "
                      "5000000"),
            1);
  // Bad records inside a good envelope are dead-lettered one by one.
  EXPECT_GE(query_int(db,
                      "SELECT COUNT(*) FROM dead_letters WHERE name LIKE 'evh-defender/0@3#%' OR name LIKE "
                      "'evh-defender/0@4#%'"),
            1)
      << run.err;
  EXPECT_EQ(mock.committed("g2", kTopic, 0), 8);
  EXPECT_EQ(mock.committed("g2", kTopic, 1), 2);
  EXPECT_EQ(mock.committed("g2", kTopic, 2), 2);
}

class EventHubsCliGraph : public ::testing::Test {
 protected:
  static constexpr int kPartitions = 2;
  static constexpr int kPerPartition = 150;

  void SetUp() override {
    ASSERT_FALSE(mock_.bootstrap().empty());
    entra_.start();
    graph_.start();
    for (int p = 0; p < kPartitions; ++p) {
      for (int n = 0; n < kPerPartition; ++n) graph_.add_alert(alert_id(p, n), fmt::format("{}", 100 + n));
    }
    for (int n = 0; n < kPerPartition; ++n) graph_.add_incident(fmt::format("{}", 100 + n), {});
    ::setenv("SB_TEST_AZURE_SECRET", entra_.options().client_secret.c_str(), 1);
  }
  void TearDown() override { ::unsetenv("SB_TEST_AZURE_SECRET"); }

  //! The config of an instance: Graph comments on alerts, then its own store.
  std::string config(const std::string& group) const {
    return event_hubs_config(mock_, kTopic, group, "writers = [\"graph\", \"store\"]\n") +
           "[scan.graph]\nendpoint = \"" + graph_.url() + "\"\ncomment_on = [\"alert\"]\nrequests_per_minute = 0\n" +
           "[azure]\nauth = \"client_secret\"\nauthority_host = \"" + entra_.url() + "\"\ntenant_id = \"" +
           entra_.options().tenant_id + "\"\nclient_id = \"" + entra_.options().client_id +
           "\"\nclient_secret = \"env:SB_TEST_AZURE_SECRET\"\n";
  }

  size_t commented_alerts() const {
    size_t count = 0;
    for (int p = 0; p < kPartitions; ++p) {
      for (int n = 0; n < kPerPartition; ++n) count += graph_.alert_comments(alert_id(p, n)).empty() ? 0 : 1;
    }
    return count;
  }
  void expect_each_alert_commented_once() const {
    for (int p = 0; p < kPartitions; ++p) {
      for (int n = 0; n < kPerPartition; ++n) {
        EXPECT_EQ(graph_.alert_comments(alert_id(p, n)).size(), 1u) << alert_id(p, n);
      }
    }
  }

  KafkaMock mock_{{{kTopic, kPartitions}}};
  FakeEntra entra_;
  FakeGraph graph_{entra_};
};

TEST_F(EventHubsCliGraph, KilledMidRunTheRestartReadsUncommittedMessagesAgainAndCommentsNothingTwice) {
  produce_alerts(mock_, kPartitions, kPerPartition);
  TempDir dir;
  write_file(dir.path() / "spectra-bridge.toml", config("g3"));
  {
    RunningBinary service({"scan"}, dir.path());
    ASSERT_TRUE(eventually([&] { return commented_alerts() >= 20; }, kRunLimit)) << service.err();
    service.signal(SIGKILL);
    EXPECT_EQ(service.wait(10s).exit_code, 128 + SIGKILL);
  }
  ASSERT_LT(commented_alerts(), static_cast<size_t>(kPartitions * kPerPartition)) << "killed too late to tell";
  const auto restart = run_binary({"scan", "--once"}, dir.path());
  ASSERT_EQ(restart.exit_code, 0) << restart.err;
  expect_each_alert_commented_once();
  for (int p = 0; p < kPartitions; ++p) EXPECT_EQ(mock_.committed("g3", kTopic, p), kPerPartition);
}

TEST_F(EventHubsCliGraph, InstancesInOneGroupSplitThePartitionsAndAKilledOnesMoveToTheOthers) {
  produce_alerts(mock_, kPartitions, kPerPartition / 3);
  std::vector<std::unique_ptr<TempDir>> dirs;
  std::vector<std::unique_ptr<RunningBinary>> instances;
  for (int i = 0; i < 3; ++i) {
    dirs.push_back(std::make_unique<TempDir>());
    write_file(dirs.back()->path() / "spectra-bridge.toml", config("g4"));
    instances.push_back(std::make_unique<RunningBinary>(std::vector<std::string>{"scan"}, dirs.back()->path()));
  }
  ASSERT_TRUE(eventually([&] { return commented_alerts() == kPartitions * (kPerPartition / 3); }, kRunLimit));
  // The group has two partitions and three members: kill one of those holding a partition. Its store commits after
  // Graph has the comments, so wait for a store to show it.
  size_t killed = 3;
  ASSERT_TRUE(eventually(
      [&] {
        for (size_t i = 0; i < instances.size(); ++i) {
          if (query_int(store_of(*dirs[i]), "SELECT COUNT(*) FROM enrichments") > 0) {
            killed = i;
            return true;
          }
        }
        return false;
      },
      kRunLimit));
  instances[killed]->signal(SIGKILL);
  instances[killed]->wait(10s);
  // What comes next is read by the survivors, every alert commented once.
  for (int p = 0; p < kPartitions; ++p) {
    std::vector<std::optional<std::string>> values;
    for (int n = kPerPartition / 3; n < kPerPartition; ++n) {
      values.emplace_back(defender_message(alert_id(p, n), std::string(40, 'c')));
    }
    ASSERT_TRUE(mock_.produce(kTopic, p, values));
  }
  ASSERT_TRUE(eventually([&] { return commented_alerts() == kPartitions * kPerPartition; }, kRunLimit));
  int64_t total = 0;
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i == killed) continue;
    instances[i]->signal(SIGTERM);
    EXPECT_EQ(instances[i]->wait(30s).exit_code, 0) << instances[i]->err();
  }
  for (const auto& dir : dirs)
    total += std::max<int64_t>(0, query_int(store_of(*dir), "SELECT COUNT(*) FROM enrichments"));
  EXPECT_GE(total, kPartitions * kPerPartition);
  expect_each_alert_commented_once();
}

TEST(EventHubsCli, ConfigurationMistakesAreRefusedWithTheKeyAndTheReason) {
  TempDir dir;
  auto check = [&](const std::string& toml) {
    write_file(dir.path() / "spectra-bridge.toml", "[scan]\nsource = \"event_hubs\"\n[scan.event_hubs]\n" + toml);
    return run_binary({"scan", "--once"}, dir.path());
  };
  const auto no_namespace = check("");
  EXPECT_EQ(no_namespace.exit_code, 1);
  EXPECT_NE(no_namespace.err.find("scan.event_hubs.namespace is empty"), std::string::npos) << no_namespace.err;
  const auto remote_plaintext =
      check("bootstrap_servers = \"broker.example.com:9092\"\nsecurity_protocol = \"plaintext\"\n");
  EXPECT_NE(remote_plaintext.err.find("plaintext is allowed only for loopback"), std::string::npos)
      << remote_plaintext.err;
  const auto secret_option = check(
      "namespace = \"x\"\nconnection_string = \"env:NOPE\"\nlibrdkafka_options = { \"sasl.password\" = \"hunter2\" "
      "}\n");
  EXPECT_NE(secret_option.err.find("sasl.password\\\" would hold a credential"), std::string::npos)
      << secret_option.err;
  EXPECT_EQ(secret_option.err.find("hunter2"), std::string::npos);
  const auto no_tls =
      check("namespace = \"x\"\nlibrdkafka_options = { enable.ssl.certificate.verification = false }\n");
  EXPECT_NE(no_tls.err.find("TLS verification"), std::string::npos) << no_tls.err;
  // The source serves the scan pipeline only.
  write_file(dir.path() / "spectra-bridge.toml", "[ingest]\nsource = \"event_hubs\"\n");
  const auto ingest = run_binary({"config", "check"}, dir.path());
  EXPECT_EQ(ingest.exit_code, 2);
  EXPECT_NE(ingest.err.find("ingest.source: \"event_hubs\" is not one of"), std::string::npos) << ingest.err;
}

TEST(EventHubsCli, DoctorChecksTheTopicAndAGroupJoin) {
  KafkaMock mock({{kTopic, 2}});
  ASSERT_FALSE(mock.bootstrap().empty());
  TempDir dir;
  write_file(dir.path() / "spectra-bridge.toml", event_hubs_config(mock, kTopic, "g5"));
  const auto good = run_binary({"doctor"}, dir.path());
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("OK    event hubs topic       evh-defender at " + mock.bootstrap() + ": 2 partition(s)"),
            std::string::npos)
      << good.out;
  EXPECT_NE(good.out.find("OK    event hubs consumer group"), std::string::npos) << good.out;

  // No broker there (the mock creates any topic it is asked about, so a missing hub cannot be shown with it).
  write_file(dir.path() / "spectra-bridge.toml",
             "[scan]\nsource = \"event_hubs\"\n[scan.event_hubs]\nbootstrap_servers = \"127.0.0.1:1\"\n"
             "security_protocol = \"plaintext\"\n");
  const auto missing = run_binary({"doctor"}, dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("FAIL  event hubs topic"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("Azure Event Hubs Data Receiver"), std::string::npos) << missing.out;
}

}  // namespace
}  // namespace sb::test
