// CachingTokenProvider: one fetch per scope while the token is fresh, refresh ahead of expiry, single flight under
// concurrency (also for failures), a 401 invalidates only the rejected token, a failed refresh keeps a valid token.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "azure/token_cache.hpp"

namespace sb::azure {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

//! Hands out "token-N" valid for `lifetime`, or fails when told to; can hold a fetch until released.
class ScriptedCredential final : public TokenCredential {
 public:
  ScriptedCredential(std::atomic<TimePoint>& now, std::chrono::seconds lifetime) : now_(now), lifetime_(lifetime) {}
  std::string describe() const override { return "scripted"; }
  core::Result<AccessToken> fetch(std::string_view scope) override {
    scopes.push_back(std::string(scope));
    {
      std::unique_lock lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return !hold_; });
      --waiting_;
    }
    const int n = ++fetches;
    if (fail) return core::make_error("entra is down");
    return AccessToken{"token-" + std::to_string(n), now_.load() + lifetime_};
  }
  void hold() {
    const std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void release() {
    const std::lock_guard lock(mutex_);
    hold_ = false;
    changed_.notify_all();
  }
  void wait_until_fetching() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ > 0; });
  }

  std::atomic<int> fetches{0};
  std::atomic<bool> fail{false};
  std::vector<std::string> scopes;

 private:
  std::atomic<TimePoint>& now_;
  std::chrono::seconds lifetime_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  int waiting_ = 0;
};

class TokenCacheTest : public testing::Test {
 protected:
  void make(std::chrono::seconds lifetime, std::chrono::seconds skew = 300s) {
    auto credential = std::make_unique<ScriptedCredential>(now, lifetime);
    credential_ = credential.get();
    cache = std::make_unique<CachingTokenProvider>(std::move(credential), skew, [this] {
      ++clock_reads;
      return now.load();
    });
  }
  std::string token(std::string_view scope = "https://monitor.azure.com/.default") {
    auto value = cache->token(scope);
    EXPECT_TRUE(value) << value.error().message;
    return value ? *value : "";
  }

  std::atomic<TimePoint> now{TimePoint{} + 1'700'000'000s};
  //! A caller reads the clock under the cache's lock just before it decides to wait, so once N callers have read
  //! it, all N are sure to be waiting before the fetch they wait for can finish.
  std::atomic<int> clock_reads{0};
  ScriptedCredential* credential_ = nullptr;
  std::unique_ptr<CachingTokenProvider> cache;
};

TEST_F(TokenCacheTest, AFreshTokenIsReusedAndScopesAreCachedApart) {
  make(3600s);
  EXPECT_EQ(token(), "token-1");
  EXPECT_EQ(token(), "token-1");
  EXPECT_EQ(token("https://graph.microsoft.com/.default"), "token-2");
  EXPECT_EQ(token(), "token-1");
  EXPECT_EQ(credential_->fetches, 2);
  EXPECT_EQ(credential_->scopes,
            (std::vector<std::string>{"https://monitor.azure.com/.default", "https://graph.microsoft.com/.default"}));
}

TEST_F(TokenCacheTest, ATokenIsReplacedOnceWithinTheSkewOfItsExpiry) {
  make(3600s, 300s);
  EXPECT_EQ(token(), "token-1");
  now = now.load() + 3299s;
  EXPECT_EQ(token(), "token-1");
  now = now.load() + 2s;  // 299 s left: inside the skew
  EXPECT_EQ(token(), "token-2");
  EXPECT_EQ(token(), "token-2");
}

TEST_F(TokenCacheTest, AShortLivedTokenIsRefreshedAtHalfItsLife) {
  make(120s, 300s);  // a skew longer than the life would refetch on every call
  EXPECT_EQ(token(), "token-1");
  now = now.load() + 59s;
  EXPECT_EQ(token(), "token-1");
  now = now.load() + 2s;
  EXPECT_EQ(token(), "token-2");
}

TEST_F(TokenCacheTest, InvalidateDropsOnlyTheRejectedToken) {
  make(3600s);
  EXPECT_EQ(token(), "token-1");
  cache->invalidate("https://monitor.azure.com/.default", "token-1");
  EXPECT_EQ(token(), "token-2");
  // A late 401 for the old token (another request in flight) must not throw away the new one.
  cache->invalidate("https://monitor.azure.com/.default", "token-1");
  EXPECT_EQ(token(), "token-2");
  EXPECT_EQ(credential_->fetches, 2);
}

TEST_F(TokenCacheTest, AFailedRefreshKeepsATokenThatHasNotExpired) {
  make(3600s);
  EXPECT_EQ(token(), "token-1");
  now = now.load() + 3400s;
  credential_->fail = true;
  EXPECT_EQ(token(), "token-1");
  // The next calls within 30 s do not each try again.
  EXPECT_EQ(token(), "token-1");
  EXPECT_EQ(credential_->fetches, 2);
  now = now.load() + 31s;
  EXPECT_EQ(token(), "token-1");
  EXPECT_EQ(credential_->fetches, 3);
  now = now.load() + 200s;  // expired now
  EXPECT_FALSE(cache->token("https://monitor.azure.com/.default"));
}

TEST_F(TokenCacheTest, ConcurrentCallersShareOneFetch) {
  make(3600s);
  credential_->hold();
  std::vector<std::thread> callers;
  std::vector<std::string> got(8);
  for (size_t i = 0; i < got.size(); ++i) callers.emplace_back([&, i] { got[i] = token(); });
  credential_->wait_until_fetching();
  while (clock_reads < 8) std::this_thread::yield();  // every caller is waiting for the one fetch
  credential_->release();
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(credential_->fetches, 1);
  for (const auto& value : got) EXPECT_EQ(value, "token-1");
}

TEST_F(TokenCacheTest, CallersWaitingOnAFailedFetchGetItsErrorWithoutFetchingAgain) {
  make(3600s);
  credential_->fail = true;
  credential_->hold();
  std::atomic<int> failures{0};
  std::thread first([&] { failures += cache->token("s") ? 0 : 1; });
  credential_->wait_until_fetching();
  std::vector<std::thread> others;
  for (int i = 0; i < 4; ++i) others.emplace_back([&] { failures += cache->token("s") ? 0 : 1; });
  while (clock_reads < 5) std::this_thread::yield();  // the fetcher's read and one per waiting caller
  credential_->release();
  first.join();
  for (auto& other : others) other.join();
  EXPECT_EQ(failures, 5);
  EXPECT_EQ(credential_->fetches, 1);
}

}  // namespace
}  // namespace sb::azure
