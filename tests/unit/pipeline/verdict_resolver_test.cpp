// VerdictResolver: provider order, lookup history and its TTLs, coalescing of concurrent requests, batching by
// size / max_wait / hash type, failures reaching every waiting ticket, and the flush on destruction.
#include "pipeline/verdict_resolver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "store/lookup_history_table.hpp"
#include "support/fake_provider.hpp"
#include "support/test_support.hpp"

namespace sb::pipeline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using intel::Classification;
using Kind = test::FakeFailure;
using test::FakeProvider;

constexpr auto kPatience = 10s;  // only ever a deadline against hangs, never a measured duration

//! A distinct, valid, lower-case hash of `type` (never all zeros).
std::string hash_of(core::HashType type, size_t n) {
  std::string hash = fmt::format("{:0{}x}", n, core::hex_length(type));
  hash[0] = 'a';
  return hash;
}

std::string sha1(size_t n) {
  return hash_of(core::HashType::kSha1, n);
}
std::string sha256(size_t n) {
  return hash_of(core::HashType::kSha256, n);
}
std::string md5(size_t n) {
  return hash_of(core::HashType::kMd5, n);
}

ResolverOptions fast_options() {
  ResolverOptions options;
  options.max_wait = 20ms;
  return options;
}

//! Polls `condition` until it holds or kPatience passes.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

class VerdictResolverTest : public ::testing::Test {
 protected:
  fs::path store() const { return dir_.path() / "store.db"; }

  std::unique_ptr<store::SqliteLookupHistory> open_history(intel::HistoryTtl ttl = {}) {
    auto history = store::SqliteLookupHistory::open(store(), ttl);
    EXPECT_TRUE(history.ok()) << history.error().message;
    return history.ok() ? std::move(history).value() : nullptr;
  }

  int64_t history_rows(const std::string& where = "1") const {
    return test::query_int(store(), "SELECT COUNT(*) FROM lookup_history WHERE " + where);
  }

  test::TempDir dir_;
};

// ---- provider order ----

TEST_F(VerdictResolverTest, FirstProviderWithADecidedVerdictWinsAndOnlyItsUnknownsGoToTheNext) {
  auto first = std::make_shared<FakeProvider>("first");
  auto second = std::make_shared<FakeProvider>("second");
  const std::string known_to_first = sha1(1);
  const std::string unknown_to_first = sha1(2);
  const std::string explicit_unknown = sha1(3);
  first->set_verdict(known_to_first, Classification::kMalicious, "Win32.Trojan.First");
  first->set_verdict(explicit_unknown, Classification::kUnknown);  // an "unknown" answer is no answer
  second->set_verdict(known_to_first, Classification::kGoodware);
  second->set_verdict(unknown_to_first, Classification::kSuspicious, "Second.Suspicious");
  second->set_verdict(explicit_unknown, Classification::kGoodware);

  VerdictResolver resolver({first, second}, nullptr, fast_options());
  const Resolution resolution = resolver.resolve({known_to_first, unknown_to_first, explicit_unknown});

  ASSERT_FALSE(resolution.failure.has_value()) << resolution.failure->message;
  ASSERT_EQ(resolution.verdicts.size(), 3u);
  EXPECT_EQ(resolution.verdicts.at(known_to_first).classification, Classification::kMalicious);
  EXPECT_EQ(resolution.verdicts.at(known_to_first).threat_name, "Win32.Trojan.First");
  EXPECT_EQ(resolution.verdicts.at(known_to_first).provider, "first");
  EXPECT_EQ(resolution.verdicts.at(unknown_to_first).classification, Classification::kSuspicious);
  EXPECT_EQ(resolution.verdicts.at(unknown_to_first).provider, "second");
  EXPECT_EQ(resolution.verdicts.at(explicit_unknown).classification, Classification::kGoodware);
  EXPECT_EQ(resolution.verdicts.at(explicit_unknown).provider, "second");

  EXPECT_EQ(first->times_asked(known_to_first), 1u);
  EXPECT_EQ(second->times_asked(known_to_first), 0u) << "a hash the first provider decided was asked again";
  EXPECT_EQ(second->times_asked(unknown_to_first), 1u);
  EXPECT_EQ(second->times_asked(explicit_unknown), 1u);
}

TEST_F(VerdictResolverTest, ProviderOrderIsTheConfiguredOrder) {
  auto analyze = std::make_shared<FakeProvider>("spectra_analyze");
  auto intelligence = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string hash = sha1(7);
  analyze->set_verdict(hash, Classification::kSuspicious);
  intelligence->set_verdict(hash, Classification::kMalicious);
  {
    VerdictResolver resolver({analyze, intelligence}, nullptr, fast_options());
    EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).provider, "spectra_analyze");
  }
  {
    VerdictResolver resolver({intelligence, analyze}, nullptr, fast_options());
    EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).provider, "spectra_intelligence");
  }
  EXPECT_EQ(analyze->times_asked(hash), 1u);
  EXPECT_EQ(intelligence->times_asked(hash), 1u);
}

TEST_F(VerdictResolverTest, HashUnknownToEveryProviderGetsAnUnknownVerdict) {
  auto first = std::make_shared<FakeProvider>("first");
  auto second = std::make_shared<FakeProvider>("second");
  const std::string hash = sha256(5);
  VerdictResolver resolver({first, second}, nullptr, fast_options());
  const Resolution resolution = resolver.resolve({hash});
  ASSERT_FALSE(resolution.failure.has_value());
  ASSERT_EQ(resolution.verdicts.count(hash), 1u) << "every hash gets a verdict, unknown included";
  EXPECT_EQ(resolution.verdicts.at(hash).classification, Classification::kUnknown);
  EXPECT_EQ(resolution.verdicts.at(hash).hash, hash);
  EXPECT_EQ(first->times_asked(hash), 1u);
  EXPECT_EQ(second->times_asked(hash), 1u);
}

TEST_F(VerdictResolverTest, EmptySubmitIsReadyAtOnce) {
  auto provider = std::make_shared<FakeProvider>();
  VerdictResolver resolver({provider}, nullptr, fast_options());
  auto ticket = resolver.submit({});
  EXPECT_TRUE(ticket->ready());
  const Resolution resolution = ticket->wait();
  EXPECT_TRUE(resolution.verdicts.empty());
  EXPECT_FALSE(resolution.failure.has_value());
  EXPECT_EQ(provider->call_count(), 0u);
}

TEST_F(VerdictResolverTest, DuplicateHashesInOneSubmitAreAskedOnce) {
  auto provider = std::make_shared<FakeProvider>();
  const std::string hash = sha1(9);
  provider->set_verdict(hash, Classification::kMalicious);
  VerdictResolver resolver({provider}, nullptr, fast_options());
  const Resolution resolution = resolver.resolve({hash, hash, hash, sha1(10), hash});
  EXPECT_EQ(resolution.verdicts.size(), 2u);
  EXPECT_EQ(resolution.verdicts.at(hash).classification, Classification::kMalicious);
  EXPECT_EQ(provider->times_asked(hash), 1u);
  EXPECT_EQ(provider->call_count(), 1u);
  EXPECT_EQ(resolver.counters().asked.load(), 2u);
}

// ---- coalescing ----

TEST_F(VerdictResolverTest, ConcurrentRequestsForOneHashInFlightShareOneLookup) {
  constexpr int kThreads = 8;
  auto provider = std::make_shared<FakeProvider>();
  const std::string hash = sha1(11);
  provider->set_verdict(hash, Classification::kMalicious, "Shared.Threat");
  provider->pause();
  VerdictResolver resolver({provider}, nullptr, fast_options());

  auto first = resolver.submit({hash});
  ASSERT_TRUE(provider->wait_for_calls(1, kPatience)) << "the first lookup never started";

  std::vector<std::shared_ptr<ResolveTicket>> tickets(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { tickets[static_cast<size_t>(i)] = resolver.submit({hash}); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(first->ready());
  provider->resume();

  EXPECT_EQ(first->wait().verdicts.at(hash).threat_name, "Shared.Threat");
  for (const auto& ticket : tickets) {
    const Resolution resolution = ticket->wait();
    ASSERT_EQ(resolution.verdicts.count(hash), 1u);
    EXPECT_EQ(resolution.verdicts.at(hash).classification, Classification::kMalicious);
    EXPECT_EQ(resolution.verdicts.at(hash).threat_name, "Shared.Threat");
  }
  EXPECT_EQ(provider->call_count(), 1u) << "requests for a hash already in flight were not coalesced";
  EXPECT_EQ(provider->times_asked(hash), 1u);
  EXPECT_EQ(resolver.counters().coalesced.load(), static_cast<uint64_t>(kThreads));
}

TEST_F(VerdictResolverTest, AlertsSharingAHashWhileTheLookupIsSlowCauseOneRequest) {
  constexpr int kAlerts = 6;
  auto provider = std::make_shared<FakeProvider>();
  provider->set_latency(100ms);
  const std::string hash = sha256(12);
  provider->set_verdict(hash, Classification::kSuspicious);
  VerdictResolver resolver({provider}, nullptr, fast_options());

  std::vector<std::shared_ptr<ResolveTicket>> tickets;
  tickets.push_back(resolver.submit({hash}));
  ASSERT_TRUE(provider->wait_for_calls(1, kPatience));
  std::vector<std::thread> threads;
  std::mutex tickets_mutex;
  for (int i = 1; i < kAlerts; ++i) {
    threads.emplace_back([&] {
      auto ticket = resolver.submit({hash, sha256(1000)});  // another file of the alert, asked once more
      const std::lock_guard lock(tickets_mutex);
      tickets.push_back(std::move(ticket));
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& ticket : tickets) {
    EXPECT_EQ(ticket->wait().verdicts.at(hash).classification, Classification::kSuspicious);
  }
  EXPECT_EQ(provider->times_asked(hash), 1u) << "N alerts sharing a hash must cause one request";
}

TEST_F(VerdictResolverTest, RequestsForAQueuedHashJoinItsLookup) {
  auto provider = std::make_shared<FakeProvider>();
  const std::string hash = sha1(13);
  provider->set_verdict(hash, Classification::kGoodware);
  ResolverOptions options;
  options.max_wait = 300ms;  // the partial batch waits; the other tickets join it meanwhile
  VerdictResolver resolver({provider}, nullptr, options);
  std::vector<std::shared_ptr<ResolveTicket>> tickets;
  for (int i = 0; i < 5; ++i) tickets.push_back(resolver.submit({hash}));
  for (const auto& ticket : tickets) {
    EXPECT_EQ(ticket->wait().verdicts.at(hash).classification, Classification::kGoodware);
  }
  EXPECT_EQ(provider->call_count(), 1u);
  EXPECT_EQ(resolver.counters().coalesced.load(), 4u);
}

// ---- batching ----

TEST_F(VerdictResolverTest, TwoHundredFiftySha1HashesGoOutAsThreeBatchesOfAtMostOneHundred) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence", 100);
  std::vector<std::string> hashes;
  for (size_t i = 0; i < 250; ++i) hashes.push_back(sha1(i + 1));
  VerdictResolver resolver({provider}, nullptr, fast_options());
  const Resolution resolution = resolver.resolve(hashes);
  EXPECT_EQ(resolution.verdicts.size(), 250u);

  const auto calls = provider->calls();
  ASSERT_EQ(calls.size(), 3u);
  std::vector<size_t> sizes;
  std::multiset<std::string> asked;
  for (const auto& call : calls) {
    EXPECT_EQ(call.type, core::HashType::kSha1);
    sizes.push_back(call.hashes.size());
    asked.insert(call.hashes.begin(), call.hashes.end());
    EXPECT_EQ(std::set<std::string>(call.hashes.begin(), call.hashes.end()).size(), call.hashes.size())
        << "a lookup carried a hash twice";
  }
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<size_t>{50, 100, 100}));
  EXPECT_EQ(asked, std::multiset<std::string>(hashes.begin(), hashes.end())) << "each hash asked exactly once";
  EXPECT_EQ(resolver.counters().provider_calls.load(), 3u);
}

TEST_F(VerdictResolverTest, MixedHashTypesAreNeverMixedInOneCall) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence", 100);
  std::map<core::HashType, std::set<std::string>> submitted;
  std::vector<std::string> hashes;
  for (size_t i = 0; i < 150; ++i) submitted[core::HashType::kSha1].insert(sha1(i + 1));
  for (size_t i = 0; i < 120; ++i) submitted[core::HashType::kSha256].insert(sha256(i + 1));
  for (size_t i = 0; i < 30; ++i) submitted[core::HashType::kMd5].insert(md5(i + 1));
  for (const auto& [type, set] : submitted) hashes.insert(hashes.end(), set.begin(), set.end());
  std::shuffle(hashes.begin(), hashes.end(), std::mt19937(42));  // NOLINT(cert-msc51-cpp): repeatable order

  VerdictResolver resolver({provider}, nullptr, fast_options());
  const Resolution resolution = resolver.resolve(hashes);
  EXPECT_EQ(resolution.verdicts.size(), hashes.size());

  std::map<core::HashType, std::multiset<std::string>> asked;
  const auto calls = provider->calls();
  for (const auto& call : calls) {
    EXPECT_LE(call.hashes.size(), 100u);
    for (const auto& hash : call.hashes) {
      EXPECT_EQ(hash.size(), core::hex_length(call.type))
          << "a " << core::hash_type_name(call.type) << " lookup carried " << hash;
      asked[call.type].insert(hash);
    }
  }
  for (const auto& [type, set] : submitted) {
    EXPECT_EQ(asked[type], std::multiset<std::string>(set.begin(), set.end())) << core::hash_type_name(type);
  }
  EXPECT_EQ(calls.size(), 5u) << "sha1 100+50, sha256 100+20, md5 30";
}

TEST_F(VerdictResolverTest, ProvidersOwnMaxBatchIsRespected) {
  auto provider = std::make_shared<FakeProvider>("small", 7);
  std::vector<std::string> hashes;
  for (size_t i = 0; i < 40; ++i) hashes.push_back(sha1(i + 1));
  VerdictResolver resolver({provider}, nullptr, fast_options());
  EXPECT_EQ(resolver.resolve(hashes).verdicts.size(), 40u);
  size_t total = 0;
  for (const auto& call : provider->calls()) {
    EXPECT_LE(call.hashes.size(), 7u);
    total += call.hashes.size();
  }
  EXPECT_EQ(total, 40u);
  EXPECT_EQ(provider->call_count(), 6u);  // 5 × 7 + 5
}

TEST_F(VerdictResolverTest, PartialBatchCollectsLaterSubmitsUntilMaxWait) {
  auto provider = std::make_shared<FakeProvider>();
  ResolverOptions options;
  options.max_wait = 500ms;
  VerdictResolver resolver({provider}, nullptr, options);
  std::vector<std::shared_ptr<ResolveTicket>> tickets;
  for (size_t i = 0; i < 4; ++i) tickets.push_back(resolver.submit({sha1(100 + i)}));
  for (const auto& ticket : tickets) EXPECT_EQ(ticket->wait().verdicts.size(), 1u);
  ASSERT_EQ(provider->call_count(), 1u) << "separate submits within max_wait should share a batch";
  EXPECT_EQ(provider->calls()[0].hashes.size(), 4u);
}

TEST_F(VerdictResolverTest, LonePartialBatchLeavesAfterMaxWait) {
  auto provider = std::make_shared<FakeProvider>();
  const std::string hash = md5(3);
  provider->set_verdict(hash, Classification::kMalicious);
  VerdictResolver resolver({provider}, nullptr, fast_options());
  auto ticket = resolver.submit({hash});
  ASSERT_TRUE(eventually([&] { return ticket->ready(); })) << "a partial batch never left";
  EXPECT_EQ(ticket->wait().verdicts.at(hash).classification, Classification::kMalicious);
}

TEST_F(VerdictResolverTest, WorkersPerProviderBoundsLookupsInFlight) {
  auto provider = std::make_shared<FakeProvider>("p", 1);
  provider->set_latency(20ms);
  ResolverOptions options = fast_options();
  options.workers_per_provider = 3;
  std::vector<std::string> hashes;
  for (size_t i = 0; i < 12; ++i) hashes.push_back(sha1(i + 1));
  VerdictResolver resolver({provider}, nullptr, options);
  EXPECT_EQ(resolver.resolve(hashes).verdicts.size(), 12u);
  EXPECT_LE(provider->max_concurrent(), 3u);
  EXPECT_EQ(provider->call_count(), 12u);
}

TEST_F(VerdictResolverTest, FlushSendsPartialBatchesWithoutWaitingOutMaxWait) {
  auto provider = std::make_shared<FakeProvider>();
  const std::string hash = sha1(111);
  provider->set_verdict(hash, Classification::kSuspicious);
  ResolverOptions options;
  options.max_wait = std::chrono::hours(1);
  VerdictResolver resolver({provider}, nullptr, options);
  auto ticket = resolver.submit({hash});
  resolver.flush();
  ASSERT_TRUE(eventually([&] { return ticket->ready(); })) << "flush() did not send the partial batch";
  EXPECT_EQ(ticket->wait().verdicts.at(hash).classification, Classification::kSuspicious);
}

TEST_F(VerdictResolverTest, SubmitAfterFlushWaitsForCompanyAgain) {
  auto provider = std::make_shared<FakeProvider>();
  ResolverOptions options;
  options.max_wait = std::chrono::hours(1);
  VerdictResolver resolver({provider}, nullptr, options);
  resolver.flush();                           // an end of input earlier on…
  auto first = resolver.submit({sha1(112)});  // …then new input: batches may fill again
  auto second = resolver.submit({sha1(113)});
  resolver.flush();
  ASSERT_TRUE(eventually([&] { return first->ready() && second->ready(); }));
  ASSERT_EQ(provider->call_count(), 1u) << "a flush outlived the next submit, so a partial batch left alone";
  EXPECT_EQ(provider->calls()[0].hashes.size(), 2u);
}

// ---- destruction ----

//! Destroys `resolver` on another thread; false (leaking it) when that does not finish within kPatience.
bool destroy_within_patience(std::unique_ptr<VerdictResolver> resolver) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  auto* raw = resolver.release();
  std::thread destroyer([raw, done] {
    delete raw;  // NOLINT(cppcoreguidelines-owning-memory)
    *done = true;
  });
  const bool finished = eventually([&] { return done->load(); });
  if (finished) {
    destroyer.join();
  } else {
    destroyer.detach();
  }
  return finished;
}

TEST_F(VerdictResolverTest, DestructorFinishesQueuedLookupsWithoutWaitingOutMaxWait) {
  auto first = std::make_shared<FakeProvider>("first");
  auto second = std::make_shared<FakeProvider>("second");
  const std::string decided_by_first = sha1(21);
  const std::string decided_by_second = sha256(22);
  first->set_verdict(decided_by_first, Classification::kMalicious);
  second->set_verdict(decided_by_second, Classification::kGoodware);
  ResolverOptions options;
  options.max_wait = std::chrono::hours(1);
  auto resolver = std::make_unique<VerdictResolver>(std::vector<std::shared_ptr<intel::IntelProvider>>{first, second},
                                                    nullptr, options);
  auto ticket = resolver->submit({decided_by_first, decided_by_second});
  ASSERT_TRUE(destroy_within_patience(std::move(resolver)))
      << "the destructor waited out max_wait (or hung) instead of finishing the queued lookups";
  ASSERT_TRUE(ticket->ready()) << "a queued lookup was dropped on destruction";
  const Resolution resolution = ticket->wait();
  EXPECT_EQ(resolution.verdicts.at(decided_by_first).classification, Classification::kMalicious);
  EXPECT_EQ(resolution.verdicts.at(decided_by_second).classification, Classification::kGoodware)
      << "a hash forwarded to the second provider during shutdown was not finished";
}

// ---- lookup history ----

TEST_F(VerdictResolverTest, HistoryAnswersWithoutAskingTheProvidersAgain) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string hash = sha1(31);
  provider->set_verdict(hash, Classification::kMalicious, "Win32.Remembered");
  {
    auto history = open_history();
    ASSERT_NE(history, nullptr);
    VerdictResolver resolver({provider}, history.get(), fast_options());
    EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).classification, Classification::kMalicious);
  }
  EXPECT_EQ(history_rows(fmt::format("hash = '{}'", hash)), 1);

  // A later run (new resolver, history reopened) reuses it.
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({provider}, history.get(), fast_options());
  const Resolution resolution = resolver.resolve({hash});
  ASSERT_EQ(resolution.verdicts.count(hash), 1u);
  EXPECT_EQ(resolution.verdicts.at(hash).classification, Classification::kMalicious);
  EXPECT_EQ(resolution.verdicts.at(hash).threat_name, "Win32.Remembered");
  EXPECT_EQ(provider->times_asked(hash), 1u) << "a remembered verdict was asked about again";
  EXPECT_EQ(resolver.counters().history_hits.load(), 1u);
}

TEST_F(VerdictResolverTest, RememberedVerdictsAreReusedOnlyUntilTheirClassificationsTtl) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string malicious = sha1(41);
  const std::string goodware = sha1(42);
  const std::string suspicious = sha1(43);
  provider->set_verdict(malicious, Classification::kMalicious);
  provider->set_verdict(goodware, Classification::kGoodware);
  provider->set_verdict(suspicious, Classification::kSuspicious);
  intel::HistoryTtl ttl;
  ttl.malicious = std::chrono::hours(1);
  ttl.suspicious = std::chrono::hours(1);
  ttl.goodware = std::chrono::seconds(0);  // expired as soon as it is written
  auto history = open_history(ttl);
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({provider}, history.get(), fast_options());
  (void)resolver.resolve({malicious, goodware, suspicious});
  const Resolution again = resolver.resolve({malicious, goodware, suspicious});
  EXPECT_EQ(again.verdicts.size(), 3u);
  EXPECT_EQ(provider->times_asked(malicious), 1u);
  EXPECT_EQ(provider->times_asked(suspicious), 1u);
  EXPECT_EQ(provider->times_asked(goodware), 2u) << "an expired verdict must be asked about again";
  EXPECT_EQ(resolver.counters().history_hits.load(), 2u);
}

TEST_F(VerdictResolverTest, UnknownFromARememberedProviderIsReusedForTheUnknownTtl) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string hash = sha1(51);
  intel::HistoryTtl ttl;
  ttl.unknown = std::chrono::hours(1);
  auto history = open_history(ttl);
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({provider}, history.get(), fast_options());
  EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).classification, Classification::kUnknown);
  EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).classification, Classification::kUnknown);
  EXPECT_EQ(provider->times_asked(hash), 1u);
}

TEST_F(VerdictResolverTest, VerdictOfANonRememberedProviderIsNeverRemembered) {
  auto local = std::make_shared<FakeProvider>("local", 100, /*remembered=*/false);
  const std::string hash = sha1(61);
  const std::string unknown = sha1(62);
  local->set_verdict(hash, Classification::kMalicious);
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({local}, history.get(), fast_options());
  EXPECT_EQ(resolver.resolve({hash, unknown}).verdicts.at(hash).classification, Classification::kMalicious);
  EXPECT_EQ(history_rows(), 0) << "the local store's answers were written to the lookup history";
  (void)resolver.resolve({hash, unknown});
  EXPECT_EQ(local->times_asked(hash), 2u) << "the local store must be read afresh every time";
  EXPECT_EQ(local->times_asked(unknown), 2u);
}

TEST_F(VerdictResolverTest, LocalVerdictAfterACloudUnknownIsNotRemembered) {
  auto cloud = std::make_shared<FakeProvider>("spectra_intelligence");
  auto local = std::make_shared<FakeProvider>("local", 100, /*remembered=*/false);
  const std::string hash = sha1(63);
  local->set_verdict(hash, Classification::kMalicious);
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({cloud, local}, history.get(), fast_options());
  const Resolution resolution = resolver.resolve({hash});
  EXPECT_EQ(resolution.verdicts.at(hash).classification, Classification::kMalicious);
  EXPECT_EQ(resolution.verdicts.at(hash).provider, "local");
  EXPECT_EQ(history_rows("provider = 'local'"), 0);
  EXPECT_EQ(history_rows("classification = 'malicious'"), 0);
}

TEST_F(VerdictResolverTest, NothingIsRememberedUnderTheNameOfANonRememberedProvider) {
  // Cloud first, local last; the file is unknown to both. Whatever is remembered about the cloud's answer, no
  // history row may claim to be the local store's.
  auto cloud = std::make_shared<FakeProvider>("spectra_intelligence");
  auto local = std::make_shared<FakeProvider>("local", 100, /*remembered=*/false);
  const std::string hash = sha1(64);
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({cloud, local}, history.get(), fast_options());
  EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).classification, Classification::kUnknown);
  EXPECT_EQ(history_rows("provider = 'local'"), 0) << "a verdict attributed to the local store was remembered";
}

TEST_F(VerdictResolverTest, RememberedUnknownDoesNotHideALaterLocalVerdict) {
  // intel_provider.hpp: "The local store is read afresh every time: a file Spectra Detect classifies a minute
  // from now must not hide behind a remembered 'unknown'."
  auto local = std::make_shared<FakeProvider>("local", 100, /*remembered=*/false);
  auto cloud = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string hash = sha1(65);
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({local, cloud}, history.get(), fast_options());
  EXPECT_EQ(resolver.resolve({hash}).verdicts.at(hash).classification, Classification::kUnknown);

  local->set_verdict(hash, Classification::kMalicious, "Detect.Classified.Later");  // Spectra Detect saw it
  const Resolution later = resolver.resolve({hash});
  ASSERT_EQ(later.verdicts.count(hash), 1u);
  EXPECT_EQ(later.verdicts.at(hash).classification, Classification::kMalicious)
      << "the local store's new verdict hid behind a remembered unknown";
  EXPECT_EQ(local->times_asked(hash), 2u);
  EXPECT_EQ(cloud->times_asked(hash), 1u) << "the cloud's unknown is still within its TTL";
}

TEST_F(VerdictResolverTest, HistoryHitByAnotherHashOfTheSameFile) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string by_sha1 = sha1(71);
  const std::string by_sha256 = sha256(71);
  intel::Verdict verdict = test::make_verdict(by_sha1, Classification::kMalicious, "Aliased");
  verdict.sha256 = by_sha256;
  provider->set_verdict(verdict);
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({provider}, history.get(), fast_options());
  (void)resolver.resolve({by_sha1});
  const Resolution resolution = resolver.resolve({by_sha256});
  ASSERT_EQ(resolution.verdicts.count(by_sha256), 1u);
  EXPECT_EQ(resolution.verdicts.at(by_sha256).classification, Classification::kMalicious);
  EXPECT_EQ(provider->times_asked(by_sha256), 0u);
}

//! A LookupHistory that, once armed, holds the next find() after reading (so its answer is stale) until
//! released: the moment between a submit's history read and its in-flight check.
class GatedHistory final : public intel::LookupHistory {
 public:
  explicit GatedHistory(intel::LookupHistory& inner) : inner_(inner) {}

  core::Result<std::map<std::string, intel::Verdict>> find(const std::vector<std::string>& hashes,
                                                           core::SystemTime now) override {
    auto found = inner_.find(hashes, now);
    std::unique_lock lock(mutex_);
    if (armed_) {
      armed_ = false;
      held_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return released_; });
    }
    return found;
  }
  core::Status remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) override {
    return inner_.remember(verdicts, now);
  }

  void arm() {
    const std::lock_guard lock(mutex_);
    armed_ = true;
  }
  bool wait_held() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return held_; });
  }
  void release() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  intel::LookupHistory& inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool armed_ = false;
  bool held_ = false;
  bool released_ = false;
};

//! A request that read the history just before a lookup for the same hash finished must still not cause a
//! second lookup: the verdict is remembered before the in-flight entry goes, so it is in one or the other.
TEST_F(VerdictResolverTest, RequestRacingTheEndOfALookupIsNotAskedTwice) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string hash = sha1(75);
  provider->set_verdict(hash, Classification::kMalicious);
  provider->pause();
  auto sqlite_history = open_history();
  ASSERT_NE(sqlite_history, nullptr);
  GatedHistory history(*sqlite_history);
  VerdictResolver resolver({provider}, &history, fast_options());

  auto first = resolver.submit({hash});
  ASSERT_TRUE(provider->wait_for_calls(1, kPatience));
  history.arm();
  std::shared_ptr<ResolveTicket> second;
  std::thread racer([&] { second = resolver.submit({hash}); });
  ASSERT_TRUE(history.wait_held()) << "the second submit never read the history";
  provider->resume();
  EXPECT_EQ(first->wait().verdicts.at(hash).classification, Classification::kMalicious);  // remembered, settled
  history.release();
  racer.join();
  EXPECT_EQ(second->wait().verdicts.at(hash).classification, Classification::kMalicious);
  EXPECT_EQ(provider->times_asked(hash), 1u)
      << "a request that read the history before the lookup finished asked the provider a second time";
}

// ---- failures ----

class VerdictResolverFailureTest : public VerdictResolverTest, public ::testing::WithParamInterface<Kind> {};

TEST_P(VerdictResolverFailureTest, FailureReachesEveryWaitingTicketAndIsNotRemembered) {
  const Kind kind = GetParam();
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string hash = sha1(81);
  provider->set_verdict(hash, Classification::kMalicious);
  provider->fail_next(kind);
  provider->pause();
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({provider}, history.get(), fast_options());

  auto first = resolver.submit({hash});
  ASSERT_TRUE(provider->wait_for_calls(1, kPatience));
  auto joined = resolver.submit({hash});
  provider->resume();

  for (const auto& ticket : {first, joined}) {
    const Resolution resolution = ticket->wait();
    ASSERT_TRUE(resolution.failure.has_value()) << "the failure did not reach a waiting ticket";
    EXPECT_EQ(resolution.failure->kind, test::error_kind_of(kind));
    EXPECT_NE(resolution.failure->message.find("spectra_intelligence"), std::string::npos)
        << resolution.failure->message;
    EXPECT_EQ(resolution.verdicts.count(hash), 0u) << "a failed hash must have no verdict";
  }
  EXPECT_EQ(history_rows(), 0) << "a failure was remembered";
  EXPECT_EQ(provider->call_count(), 1u);

  // The provider recovers: the hash is asked about again and now decided.
  const Resolution retried = resolver.resolve({hash});
  ASSERT_FALSE(retried.failure.has_value());
  EXPECT_EQ(retried.verdicts.at(hash).classification, Classification::kMalicious);
  EXPECT_EQ(provider->call_count(), 2u);
}

TEST_P(VerdictResolverFailureTest, FailureOfTheSecondProviderPropagates) {
  const Kind kind = GetParam();
  auto first = std::make_shared<FakeProvider>("first");
  auto second = std::make_shared<FakeProvider>("second");
  second->fail_always(kind);
  const std::string decided = sha1(91);
  const std::string forwarded = sha1(92);
  first->set_verdict(decided, Classification::kGoodware);
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({first, second}, history.get(), fast_options());
  const Resolution resolution = resolver.resolve({decided, forwarded});
  ASSERT_TRUE(resolution.failure.has_value());
  EXPECT_EQ(resolution.failure->kind, test::error_kind_of(kind));
  EXPECT_EQ(resolution.verdicts.count(forwarded), 0u);
  EXPECT_EQ(resolution.verdicts.at(decided).classification, Classification::kGoodware);
  EXPECT_EQ(history_rows(fmt::format("hash = '{}'", forwarded)), 0) << "the failed hash was remembered";
}

INSTANTIATE_TEST_SUITE_P(VerdictResolverFailureKinds, VerdictResolverFailureTest,
                         ::testing::Values(Kind::kCredentials, Kind::kPermission, Kind::kQuota, Kind::kTransient,
                                           Kind::kBadResponse),
                         test::failure_kind_label);

TEST_F(VerdictResolverTest, FailureOfOneBatchLeavesOtherTypesDecided) {
  auto provider = std::make_shared<FakeProvider>("spectra_intelligence");
  const std::string failing = sha1(101);
  const std::string good = sha256(101);
  provider->set_verdict(good, Classification::kGoodware);
  provider->set_verdict(failing, Classification::kMalicious);
  provider->fail_when_asked(failing, Kind::kTransient);
  VerdictResolver resolver({provider}, nullptr, fast_options());
  const Resolution resolution = resolver.resolve({failing, good});
  ASSERT_TRUE(resolution.failure.has_value());
  EXPECT_EQ(resolution.failure->kind, core::ErrorKind::kRetryLater);
  EXPECT_NE(resolution.failure->message.find("503 transient"), std::string::npos);
  EXPECT_EQ(resolution.verdicts.count(failing), 0u) << "the hash the failure concerns must have no verdict";
  ASSERT_EQ(resolution.verdicts.count(good), 1u);
  EXPECT_EQ(resolution.verdicts.at(good).classification, Classification::kGoodware);
}

TEST_F(VerdictResolverTest, PermanentFailureKindsArePermanent) {
  EXPECT_TRUE(core::make_error("", test::error_kind_of(Kind::kCredentials)).refused_for_good());
  EXPECT_TRUE(core::make_error("", test::error_kind_of(Kind::kPermission)).refused_for_good());
  EXPECT_FALSE(core::make_error("", test::error_kind_of(Kind::kQuota)).refused_for_good());
  EXPECT_FALSE(core::make_error("", test::error_kind_of(Kind::kTransient)).refused_for_good());
  EXPECT_FALSE(core::make_error("", test::error_kind_of(Kind::kBadResponse)).refused_for_good());
}

// ---- many threads ----

TEST_F(VerdictResolverTest, ManyThreadsWithOverlappingHashesAllGetTheRightVerdicts) {
  constexpr size_t kPool = 300;
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  auto first = std::make_shared<FakeProvider>("first");
  auto second = std::make_shared<FakeProvider>("second", 50);
  first->set_latency(2ms);
  std::vector<std::string> pool;
  std::map<std::string, Classification> expected;
  for (size_t i = 0; i < kPool; ++i) {
    const std::string hash = i % 3 == 0 ? sha1(i + 1) : i % 3 == 1 ? sha256(i + 1) : md5(i + 1);
    pool.push_back(hash);
    if (i % 4 == 0) {
      first->set_verdict(hash, Classification::kMalicious);
      expected[hash] = Classification::kMalicious;
    } else if (i % 4 == 1) {
      second->set_verdict(hash, Classification::kGoodware);
      expected[hash] = Classification::kGoodware;
    } else {
      expected[hash] = Classification::kUnknown;
    }
  }
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  VerdictResolver resolver({first, second}, history.get(), fast_options());
  std::atomic<int> wrong{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));  // NOLINT(cert-msc51-cpp): repeatable per thread
      for (int round = 0; round < kRounds; ++round) {
        std::vector<std::string> hashes;
        for (int k = 0; k < 25; ++k) hashes.push_back(pool[random() % kPool]);
        const Resolution resolution = resolver.resolve(hashes);
        if (resolution.failure) ++failed;
        for (const auto& hash : hashes) {
          auto found = resolution.verdicts.find(hash);
          if (found == resolution.verdicts.end() || found->second.classification != expected[hash]) ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  for (const auto& call : first->calls()) {
    EXPECT_LE(call.hashes.size(), 100u);
    for (const auto& hash : call.hashes) EXPECT_EQ(hash.size(), core::hex_length(call.type));
  }
  for (const auto& call : second->calls()) EXPECT_LE(call.hashes.size(), 50u);
}

// ---- SqliteLookupHistory itself ----

class VerdictResolverHistoryTableTest : public VerdictResolverTest {};

TEST_F(VerdictResolverHistoryTableTest, EachClassificationExpiresAfterItsOwnTtl) {
  intel::HistoryTtl ttl;
  ttl.malicious = std::chrono::hours(30);
  ttl.suspicious = std::chrono::hours(20);
  ttl.goodware = std::chrono::hours(10);
  ttl.unknown = std::chrono::hours(1);
  auto history = open_history(ttl);
  ASSERT_NE(history, nullptr);
  const core::SystemTime t0 = std::chrono::system_clock::now();
  const std::vector<std::pair<std::string, Classification>> cases{{sha1(1), Classification::kMalicious},
                                                                  {sha1(2), Classification::kSuspicious},
                                                                  {sha1(3), Classification::kGoodware},
                                                                  {sha1(4), Classification::kUnknown}};
  std::vector<intel::Verdict> verdicts;
  std::vector<std::string> hashes;
  for (const auto& [hash, classification] : cases) {
    verdicts.push_back(test::make_verdict(hash, classification));
    verdicts.back().provider = "spectra_intelligence";
    hashes.push_back(hash);
  }
  ASSERT_TRUE(history->remember(verdicts, t0).ok());

  auto found_at = [&](std::chrono::seconds later) {
    auto found = history->find(hashes, t0 + later);
    EXPECT_TRUE(found.ok());
    std::set<std::string> keys;
    if (found.ok()) {
      for (const auto& [hash, verdict] : *found) keys.insert(hash);
    }
    return keys;
  };
  const auto minute = std::chrono::seconds(60);
  EXPECT_EQ(found_at(std::chrono::seconds(0)), (std::set<std::string>{sha1(1), sha1(2), sha1(3), sha1(4)}));
  EXPECT_EQ(found_at(std::chrono::hours(1) - minute), (std::set<std::string>{sha1(1), sha1(2), sha1(3), sha1(4)}));
  EXPECT_EQ(found_at(std::chrono::hours(1) + minute), (std::set<std::string>{sha1(1), sha1(2), sha1(3)}));
  EXPECT_EQ(found_at(std::chrono::hours(10) + minute), (std::set<std::string>{sha1(1), sha1(2)}));
  EXPECT_EQ(found_at(std::chrono::hours(20) + minute), (std::set<std::string>{sha1(1)}));
  EXPECT_EQ(found_at(std::chrono::hours(30) + minute), (std::set<std::string>{}));
}

TEST_F(VerdictResolverHistoryTableTest, VerdictIsStoredUnderEveryHashOfTheFileAndReadBackWhole) {
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  intel::Verdict verdict = test::make_verdict(sha1(5), Classification::kMalicious, "Win32.Ransom.Test");
  verdict.sha256 = sha256(5);
  verdict.md5 = md5(5);
  verdict.provider = "spectra_intelligence";
  verdict.threat_level = 5;
  verdict.detections = 40;
  verdict.scanners = 60;
  const core::SystemTime now = std::chrono::system_clock::now();
  ASSERT_TRUE(history->remember({verdict}, now).ok());
  auto found = history->find({sha1(5), sha256(5), md5(5), sha1(6)}, now);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 3u);
  for (const auto& hash : {sha1(5), sha256(5), md5(5)}) {
    const intel::Verdict& read = found->at(hash);
    EXPECT_EQ(read.hash, hash) << "a verdict is keyed by the hash asked about";
    EXPECT_EQ(read.classification, Classification::kMalicious);
    EXPECT_EQ(read.threat_name, "Win32.Ransom.Test");
    EXPECT_EQ(read.threat_level, 5);
    EXPECT_EQ(read.detections, 40);
    EXPECT_EQ(read.scanners, 60);
    EXPECT_EQ(read.provider, "spectra_intelligence");
    EXPECT_EQ(read.sha256, sha256(5));
  }
}

TEST_F(VerdictResolverHistoryTableTest, NewerVerdictReplacesTheOlderOne) {
  auto history = open_history();
  ASSERT_NE(history, nullptr);
  const core::SystemTime t0 = std::chrono::system_clock::now();
  ASSERT_TRUE(history->remember({test::make_verdict(sha1(8), Classification::kUnknown)}, t0).ok());
  ASSERT_TRUE(history->remember({test::make_verdict(sha1(8), Classification::kMalicious, "Now.Known")}, t0 + 10s).ok());
  auto found = history->find({sha1(8)}, t0 + 20s);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->count(sha1(8)), 1u);
  EXPECT_EQ(found->at(sha1(8)).classification, Classification::kMalicious);
  EXPECT_EQ(found->at(sha1(8)).threat_name, "Now.Known");
  EXPECT_EQ(history_rows(), 1);
}

}  // namespace
}  // namespace sb::pipeline
