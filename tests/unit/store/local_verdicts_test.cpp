// The local provider: verdicts from Spectra Detect rows already in the store, by sha1, sha256 or md5.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "detect/report_parser.hpp"
#include "outputs/store_output.hpp"
#include "store/local_verdicts.hpp"
#include "support/test_support.hpp"
#include "tools/generators/report_generator.hpp"

namespace sb::store {
namespace {

std::vector<detect::Row> ingest_generated_reports(const std::filesystem::path& db, int count) {
  detect::ReportParser parser;
  auto sink = outputs::make_store_output<detect::Row>(db);
  EXPECT_TRUE(sink.ok());
  std::vector<detect::Row> all;
  for (int n = 0; n < count; ++n) {
    auto parsed = parser.parse(tools::generate_report({}, static_cast<uint64_t>(n)), "2026-11-23T00:00:00.000Z");
    EXPECT_TRUE(parsed.ok());
    EXPECT_TRUE((*sink)->write(parsed->rows).ok());
    EXPECT_TRUE((*sink)->flush().ok());  // before `parsed` goes: a sink may keep a pointer to the rows until then
    all.insert(all.end(), parsed->rows.begin(), parsed->rows.end());
  }
  return all;
}

intel::Classification expected(int64_t code) {
  return code == 3   ? intel::Classification::kMalicious
         : code == 2 ? intel::Classification::kSuspicious
         : code == 1 ? intel::Classification::kGoodware
                     : intel::Classification::kUnknown;
}

TEST(LocalVerdicts, SpectraDetectRowsAnswerByEveryHashType) {
  test::TempDir dir;
  const auto rows = ingest_generated_reports(dir.path() / "store.db", 5);
  auto provider = LocalVerdictProvider::open(dir.path() / "store.db");
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  EXPECT_FALSE((*provider)->remembered());

  size_t checked = 0;
  for (const auto& row : rows) {
    if (!row.facts.verdict || row.facts.sha1.empty()) continue;
    for (auto [type, hash] :
         {std::pair{core::HashType::kSha1, row.facts.sha1}, std::pair{core::HashType::kSha256, row.facts.sha256},
          std::pair{core::HashType::kMd5, row.facts.md5}}) {
      auto result = (*provider)->lookup(type, {hash});
      ASSERT_TRUE(result.ok()) << result.failure->message;
      ASSERT_EQ(result.verdicts.count(hash), 1u) << hash;
      const auto& v = result.verdicts.at(hash);
      // The same file can sit in several reports; all carry the pool's one classification.
      EXPECT_EQ(v.classification, expected(*row.facts.verdict)) << hash;
      EXPECT_EQ(v.sha1, row.facts.sha1);
      EXPECT_EQ(v.provider, "local");
      if (v.classification >= intel::Classification::kSuspicious) {
        EXPECT_FALSE(v.threat_name.empty());
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 20u);
}

TEST(LocalVerdicts, AHashNoReportNamedIsAbsent) {
  test::TempDir dir;
  ingest_generated_reports(dir.path() / "store.db", 1);
  auto provider = LocalVerdictProvider::open(dir.path() / "store.db");
  ASSERT_TRUE(provider.ok());
  const std::string stranger(40, 'f');
  auto result = (*provider)->lookup(core::HashType::kSha1, {stranger});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.verdicts.empty());
  EXPECT_EQ((*provider)->counters().hashes, 1u);
}

//! Regression (issue 9): every lookup re-prepared its statement under one mutex, so workers_per_provider = 2 gave no
//! parallelism. Statements are prepared once per connection, and concurrent lookups use connections of their own.
TEST(LocalVerdicts, RegressionStatementsArePreparedOncePerConnectionAndConcurrentLookupsEachGetTheirOwnAnswer) {
  test::TempDir dir;
  const auto rows = ingest_generated_reports(dir.path() / "store.db", 3);
  auto provider = LocalVerdictProvider::open(dir.path() / "store.db");
  ASSERT_TRUE(provider.ok());
  std::vector<std::string> sha1s;
  for (const auto& row : rows) {
    if (row.facts.verdict && !row.facts.sha1.empty()) sha1s.push_back(row.facts.sha1);
  }
  ASSERT_FALSE(sha1s.empty());
  constexpr int kThreads = 4;
  constexpr int kLookups = 50;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kLookups; ++i) {
        const auto& sha1 = sha1s[static_cast<size_t>(i) % sha1s.size()];
        auto result = (*provider)->lookup(core::HashType::kSha1, {sha1});
        const auto found = result.verdicts.find(sha1);
        if (result.ok() && result.verdicts.size() == 1 && found != result.verdicts.end() &&
            found->second.sha1 == sha1 && found->second.provider == "local") {
          ++answered;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered.load(), kThreads * kLookups);
  const auto connections = (*provider)->connections();
  // A lookup takes a free connection or opens one: never more connections than lookups at once.
  EXPECT_GE(connections, 1u);
  EXPECT_LE(connections, static_cast<uint64_t>(kThreads));
  EXPECT_LE((*provider)->statements_prepared(), connections) << "a statement was prepared again on one connection";
}

}  // namespace
}  // namespace sb::store
