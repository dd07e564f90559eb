// The Event Hubs source against librdkafka's mock cluster: OAUTHBEARER tokens from the [azure] identity with the
// namespace's scope, refreshed before they expire; a rebalance while messages are in flight finishes them and commits,
// or abandons them uncommitted after the deadline, never committing unfinished work.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <stop_token>
#include <thread>
#include <vector>

#include "app/app_context.hpp"
#include "app/settings.hpp"
#include "core/config.hpp"
#include "sources/event_hubs_source.hpp"
#include "sources/source_entry.hpp"
#include "support/fake_entra.hpp"
#include "support/kafka_mock.hpp"
#include "support/test_support.hpp"

namespace sb::sources {
namespace {

using namespace std::chrono_literals;
constexpr const char* kTopic = "evh-defender";

EventHubsSourceOptions options_for(const test::KafkaMock& mock, const std::string& group) {
  EventHubsSourceOptions options;
  options.consumer.bootstrap_servers = mock.bootstrap();
  options.consumer.topic = kTopic;
  options.consumer.group_id = group;
  options.consumer.security = kafka::Security::kPlaintext;
  options.consumer.extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "300"}};
  options.max_bytes = 1024 * 1024;
  options.revocation_deadline = 1s;  // what a test leaves unacknowledged does not hold up its end
  return options;
}

TEST(EventHubsSource, OAuthBearerAsksTheIdentityForTheNamespaceScopeAndRefreshesBeforeExpiry) {
  test::FakeEntra entra;
  entra.set_lifetime(4s);  // librdkafka refreshes at 80% of a token's life
  entra.start();
  test::KafkaMock mock({{kTopic, 1}});
  ASSERT_FALSE(mock.bootstrap().empty());
  test::TempDir dir;
  ::setenv("SB_TEST_EH_SECRET", entra.options().client_secret.c_str(), 1);
  test::write_file(dir.path() / "c.toml",
                   "[scan.event_hubs]\nnamespace = \"evhns-test\"\nbootstrap_servers = \"" + mock.bootstrap() +
                       "\"\n[azure]\nauth = \"client_secret\"\nauthority_host = \"" + entra.url() +
                       "\"\ntenant_id = \"" + entra.options().tenant_id + "\"\nclient_id = \"" +
                       entra.options().client_id + "\"\nclient_secret = \"env:SB_TEST_EH_SECRET\"\n");
  const auto keys = app::all_config_keys();
  auto config = core::Config::load(keys, dir.path() / "c.toml", {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto azure_settings = azure::azure_settings().read(*config, "azure");
  ASSERT_TRUE(azure_settings.ok());
  std::stop_source stop;
  azure::Identity identity(*azure_settings, app::process_environment(), stop.get_token());
  const SourceContext context{*config, "scan.event_hubs", app::kScanTraits, dir.path(), 1024, false,
                              {},      stop.get_token(),  &identity};
  auto source = source_registry().find("event_hubs")->make(context);
  ASSERT_TRUE(source.ok()) << source.error().message;
  // The mock speaks no TLS, so the login never completes; the tokens are asked for all the same.
  std::thread reader([&] { (void)(*source)->next(stop.get_token()); });
  const bool refreshed = test::eventually([&] { return entra.token_requests() >= 2; }, 15s);
  stop.request_stop();
  reader.join();
  ::unsetenv("SB_TEST_EH_SECRET");
  EXPECT_TRUE(refreshed) << entra.token_requests() << " token(s) issued";
  const auto requests = entra.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_NE(requests.front().body.find("scope=https%3A%2F%2Fevhns-test.servicebus.windows.net%2F.default"),
            std::string::npos);
}

//! Reads from `source` on its own thread (which also serves its rebalances) until stopped.
class Reader {
 public:
  explicit Reader(EventHubsSource& source)
      : thread_([this, &source](const std::stop_token& stop) {
          while (!stop.stop_requested()) {
            auto input = source.next(stop);
            if (!input) continue;
            const std::lock_guard lock(mutex_);
            if (!first_at_) first_at_ = std::chrono::steady_clock::now();
            inputs_.push_back(std::move(*input));
          }
        }) {}
  std::vector<engine::Input> take() {
    const std::lock_guard lock(mutex_);
    return std::move(inputs_);
  }
  size_t count() {
    const std::lock_guard lock(mutex_);
    return inputs_.size();
  }
  //! When the first input arrived.
  std::optional<std::chrono::steady_clock::time_point> first_at() {
    const std::lock_guard lock(mutex_);
    return first_at_;
  }
  void stop() {
    thread_.request_stop();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::vector<engine::Input> inputs_;
  std::optional<std::chrono::steady_clock::time_point> first_at_;
  std::jthread thread_;
};

void produce(test::KafkaMock& mock, int partitions, int per_partition) {
  for (int p = 0; p < partitions; ++p) {
    std::vector<std::optional<std::string>> values;
    for (int n = 0; n < per_partition; ++n) values.emplace_back("{\"n\":" + std::to_string(n) + "}");
    ASSERT_TRUE(mock.produce(kTopic, p, values));
  }
}

TEST(EventHubsSource, ARebalanceWaitsForInFlightMessagesBeforeThePartitionsMoveAndLosesNone) {
  test::KafkaMock mock({{kTopic, 2}});
  ASSERT_FALSE(mock.bootstrap().empty());
  produce(mock, 2, 5);
  auto patient = options_for(mock, "rebalance");
  patient.revocation_deadline = 10s;
  auto first = EventHubsSource::create(patient);
  ASSERT_TRUE(first.ok()) << first.error().message;
  Reader reading(**first);
  ASSERT_TRUE(test::eventually([&] { return reading.count() == 10; }, 30s));
  auto inputs = reading.take();
  // A second member joins while all ten are in flight: the first must let go of a partition, and waits for them.
  auto second = EventHubsSource::create(options_for(mock, "rebalance"));
  ASSERT_TRUE(second.ok());
  Reader joining(**second);
  std::this_thread::sleep_for(1500ms);
  for (const auto& input : inputs) ASSERT_TRUE((*first)->acknowledge(input, engine::Outcome::kDone, nullptr).ok());
  const auto acknowledged_at = std::chrono::steady_clock::now();
  // Either the revocation's commit went through and the new owner reads nothing again, or (the mock broker refuses
  // commits while the group rebalances) the new owner reads them again: nothing is lost either way, and the
  // partition moved only after its messages were done.
  ASSERT_TRUE(test::eventually(
      [&] {
        return joining.count() > 0 ||
               (mock.committed("rebalance", kTopic, 0) == 5 && mock.committed("rebalance", kTopic, 1) == 5);
      },
      30s));
  if (const auto first_read = joining.first_at()) {
    EXPECT_GE(*first_read, acknowledged_at);
  }
  for (const int p : {0, 1}) EXPECT_LE(mock.committed("rebalance", kTopic, p), 5);
  joining.stop();
  reading.stop();
}

TEST(EventHubsSource, WorkNotDoneByTheRevocationDeadlineIsAbandonedUncommittedAndReadAgainByTheNewOwner) {
  test::KafkaMock mock({{kTopic, 1}});
  ASSERT_FALSE(mock.bootstrap().empty());
  produce(mock, 1, 3);
  auto options = options_for(mock, "abandon");
  options.revocation_deadline = 300ms;
  auto first = EventHubsSource::create(options);
  ASSERT_TRUE(first.ok()) << first.error().message;
  std::vector<engine::Input> inputs;
  {
    Reader reading(**first);
    ASSERT_TRUE(test::eventually([&] { return reading.count() == 3; }, 30s));
    inputs = reading.take();
    reading.stop();
  }
  // The first member leaves with its messages unfinished (close revokes its partition, the deadline passes).
  ASSERT_TRUE((*first)->close().ok());
  auto late = (*first)->acknowledge(inputs[0], engine::Outcome::kDone, nullptr);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->requeued) << "a late answer for a revoked partition must not count as done";
  EXPECT_EQ(mock.committed("abandon", kTopic, 0), -1);
  auto second = EventHubsSource::create(options_for(mock, "abandon"));
  ASSERT_TRUE(second.ok());
  Reader again(**second);
  EXPECT_TRUE(test::eventually([&] { return again.count() == 3; }, 30s)) << again.count();
  again.stop();
}

// librdkafka 2.0.2 aborted the process (rd_kafka_cgrp_terminated: assert !rd_kafka_assignment_in_progress) when a
// member closed while the group rebalanced because another member was closing too, as a rolling restart does.
TEST(EventHubsSource, RegressionTwoMembersClosingDuringARebalanceDoNotAbort) {
  constexpr int kRounds = 2;
  test::KafkaMock mock({{kTopic, 2}});
  ASSERT_FALSE(mock.bootstrap().empty());
  produce(mock, 2, 5);
  for (int round = 0; round < kRounds; ++round) {
    const std::string group = "closing-" + std::to_string(round);
    auto first = EventHubsSource::create(options_for(mock, group));
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto second = EventHubsSource::create(options_for(mock, group));
    ASSERT_TRUE(second.ok()) << second.error().message;
    {
      Reader one(**first);
      Reader two(**second);
      // Both read (the group has settled on two members), nothing is acknowledged: both close with work in flight.
      ASSERT_TRUE(test::eventually([&] { return one.count() + two.count() == 10; }, 30s)) << round;
      auto third = EventHubsSource::create(options_for(mock, group));
      ASSERT_TRUE(third.ok());
      Reader joining(**third);
      std::this_thread::sleep_for(std::chrono::milliseconds(300 * round));  // each round closes at another moment
      joining.stop();
      one.stop();
      two.stop();
      // The three leave at once (close() runs after the reader has stopped, as the runner does).
      std::vector<std::jthread> closers;
      for (auto* source : {first->get(), second->get(), third->get()}) {
        closers.emplace_back([source] { (void)source->close(); });
      }
    }
    // Nothing was acknowledged, so nothing was committed: a new member reads all ten again.
    for (const int p : {0, 1}) EXPECT_EQ(mock.committed(group, kTopic, p), -1) << round;
  }
}

}  // namespace
}  // namespace sb::sources
