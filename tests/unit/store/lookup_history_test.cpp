// The SQLite lookup history: reuse until the classification's TTL, aliases, replacement, damaged records.
#include <gtest/gtest.h>

#include "store/lookup_history_table.hpp"
#include "store/sqlite.hpp"
#include "support/test_support.hpp"

namespace sb::store {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

intel::Verdict make(std::string hash, intel::Classification c) {
  intel::Verdict v;
  v.hash = std::move(hash);
  v.classification = c;
  v.provider = "spectra_intelligence";
  v.threat_name = c == intel::Classification::kMalicious ? "Win32.Trojan.Test" : "";
  return v;
}

const std::string kSha1 = std::string(40, 'a');
const std::string kSha256 = std::string(64, 'b');
const std::string kMd5 = std::string(32, 'c');

TEST(LookupHistory, EachClassificationLivesForItsOwnTtl) {
  test::TempDir dir;
  intel::HistoryTtl ttl;
  ttl.malicious = hours(720);
  ttl.unknown = hours(1);
  auto history = SqliteLookupHistory::open(dir.path() / "store.db", ttl);
  ASSERT_TRUE(history.ok()) << history.error().message;
  const auto t0 = std::chrono::system_clock::now();
  const std::string bad(40, '1'), unknown(40, '2');
  ASSERT_TRUE(
      (*history)
          ->remember({make(bad, intel::Classification::kMalicious), make(unknown, intel::Classification::kUnknown)}, t0)
          .ok());

  auto at = [&](std::chrono::system_clock::duration later) {
    auto found = (*history)->find({bad, unknown}, t0 + later);
    EXPECT_TRUE(found.ok());
    return found.ok() ? found->size() : 0;
  };
  EXPECT_EQ(at(seconds(0)), 2u);
  EXPECT_EQ(at(hours(1) - seconds(1)), 2u);
  EXPECT_EQ(at(hours(1)), 1u);  // the unknown has expired…
  EXPECT_EQ(at(hours(719)), 1u);
  EXPECT_EQ(at(hours(720)), 0u);  // …and at last the malicious one

  auto found = (*history)->find({bad}, t0);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at(bad).threat_name, "Win32.Trojan.Test");
  EXPECT_EQ(found->at(bad).classification, intel::Classification::kMalicious);
}

TEST(LookupHistory, AVerdictIsFoundByEveryHashOfTheFile) {
  test::TempDir dir;
  auto history = SqliteLookupHistory::open(dir.path() / "store.db", {});
  ASSERT_TRUE(history.ok());
  auto v = make(kSha1, intel::Classification::kMalicious);
  v.sha1 = kSha1;
  v.sha256 = kSha256;
  v.md5 = kMd5;
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE((*history)->remember({v}, now).ok());
  auto found = (*history)->find({kSha256, kMd5}, now);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ(found->at(kSha256).hash, kSha256);  // keyed and labelled by what was asked
  EXPECT_EQ(found->at(kMd5).sha1, kSha1);
}

TEST(LookupHistory, ANewerVerdictReplacesTheOlder) {
  test::TempDir dir;
  auto history = SqliteLookupHistory::open(dir.path() / "store.db", {});
  ASSERT_TRUE(history.ok());
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE((*history)->remember({make(kSha1, intel::Classification::kUnknown)}, now).ok());
  ASSERT_TRUE((*history)->remember({make(kSha1, intel::Classification::kSuspicious)}, now + seconds(5)).ok());
  auto found = (*history)->find({kSha1}, now + seconds(6));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at(kSha1).classification, intel::Classification::kSuspicious);
  EXPECT_EQ(test::query_int(dir.path() / "store.db", "SELECT COUNT(*) FROM lookup_history"), 1);
}

TEST(LookupHistory, ADamagedRecordIsAMissNotAFailure) {
  test::TempDir dir;
  auto history = SqliteLookupHistory::open(dir.path() / "store.db", {});
  ASSERT_TRUE(history.ok());
  {
    auto db = Database::open(dir.path() / "store.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->exec("INSERT INTO lookup_history VALUES ('" + kSha1 +
                           "', 'malicious', 'x', '{not json', 'now', 99999999999)")
                    .ok());
  }
  auto found = (*history)->find({kSha1}, std::chrono::system_clock::now());
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
}

}  // namespace
}  // namespace sb::store
