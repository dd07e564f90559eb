// The Source contract of engine/source.hpp, checked once for every source: each registered source adds a harness
// below (how to put inputs where it reads them, and what it promises), and every test runs against each.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "engine/source.hpp"
#include "sources/event_hubs_source.hpp"
#include "sources/files_source.hpp"
#include "sources/folder_source.hpp"
#include "sources/source_entry.hpp"
#include "sources/stdin_source.hpp"
#include "support/kafka_mock.hpp"
#include "support/test_support.hpp"

namespace sb::engine {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr size_t kMaxBytes = 1024 * 1024;
constexpr auto kDeadline = 20s;  // a Kafka consumer joins its group first

//! How to feed one kind of source, and what it promises beyond the contract's minimum.
class Harness {
 public:
  virtual ~Harness() = default;
  //! Puts an input where the next open() finds it.
  virtual void add(const std::string& name, const std::string& content) = 0;
  //! A source that hands out what was added and then ends.
  virtual std::unique_ptr<Source> open() = 0;
  //! A source with nothing to hand out yet, whose next() blocks until a stop.
  virtual std::unique_ptr<Source> open_waiting() = 0;
  //! An input never acknowledged is delivered again by a new source over the same place.
  virtual bool redelivers_unacknowledged() const = 0;
  //! An input acknowledged kDone is not delivered again.
  virtual bool forgets_done() const = 0;
  //! …only once every input before it is done too (a Kafka partition's offset cannot skip one).
  virtual bool forgets_in_order() const { return false; }

 protected:
  test::TempDir dir_;
};

class FolderHarness final : public Harness {
 public:
  void add(const std::string& name, const std::string& content) override {
    test::write_file(dir_.path() / "inbox" / name, content);
  }
  std::unique_ptr<Source> open() override { return make(true); }
  std::unique_ptr<Source> open_waiting() override { return make(false); }
  bool redelivers_unacknowledged() const override { return true; }
  bool forgets_done() const override { return true; }

 private:
  std::unique_ptr<Source> make(bool once) {
    sources::FolderSourceOptions options;
    options.inbox = dir_.path() / "inbox";
    options.max_bytes = kMaxBytes;
    options.settle = 0ms;
    options.once = once;
    auto source = sources::FolderSource::create(options);
    EXPECT_TRUE(source.ok());
    return source.ok() ? std::unique_ptr<Source>(std::move(source).value()) : nullptr;
  }
};

class FilesHarness final : public Harness {
 public:
  void add(const std::string& name, const std::string& content) override {
    test::write_file(dir_.path() / name, content);
    paths_.push_back(dir_.path() / name);
  }
  std::unique_ptr<Source> open() override { return std::make_unique<sources::FilesSource>(paths_, kMaxBytes); }
  // A file list never waits: next() ends at once, which satisfies "returns promptly on a stop".
  std::unique_ptr<Source> open_waiting() override { return std::make_unique<sources::FilesSource>(paths_, kMaxBytes); }
  bool redelivers_unacknowledged() const override { return true; }
  bool forgets_done() const override { return false; }  // the files stay; naming them again reads them again

 private:
  std::vector<fs::path> paths_;
};

//! stdin is a pipe: what was added is written into it (it fits the pipe's buffer) and the write end closed.
class StdinHarness final : public Harness {
 public:
  ~StdinHarness() override {
    for (const int fd : fds_) ::close(fd);
  }
  void add(const std::string&, const std::string& content) override { content_ += content + "\n"; }
  std::unique_ptr<Source> open() override {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    fds_.push_back(fds[0]);
    EXPECT_LT(content_.size(), kPipeBuffer);
    EXPECT_EQ(::write(fds[1], content_.data(), content_.size()), static_cast<ssize_t>(content_.size()));
    ::close(fds[1]);
    return std::make_unique<sources::StdinSource>(fds[0], "stdin", kMaxBytes);
  }
  std::unique_ptr<Source> open_waiting() override {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    fds_.push_back(fds[0]);
    fds_.push_back(fds[1]);  // kept open: the reader waits for input that never comes
    return std::make_unique<sources::StdinSource>(fds[0], "stdin", kMaxBytes);
  }
  bool redelivers_unacknowledged() const override { return false; }  // a stream cannot be read twice
  bool forgets_done() const override { return true; }

 private:
  std::string content_;
  static constexpr size_t kPipeBuffer = 64 * 1024;  // Linux's default: a write below it never blocks
  std::vector<int> fds_;
};

//! An event hub is a topic of librdkafka's mock cluster; a source is a consumer in one group, so a new source over
//! the same group goes on from what the previous one committed.
class EventHubsHarness final : public Harness {
 public:
  void add(const std::string&, const std::string& content) override { EXPECT_TRUE(mock_.produce("evh", 0, {content})); }
  std::unique_ptr<Source> open() override { return make(true); }
  std::unique_ptr<Source> open_waiting() override { return make(false); }
  bool redelivers_unacknowledged() const override { return true; }
  bool forgets_done() const override { return true; }
  bool forgets_in_order() const override { return true; }

 private:
  std::unique_ptr<Source> make(bool once) {
    sources::EventHubsSourceOptions options;
    options.consumer.bootstrap_servers = mock_.bootstrap();
    options.consumer.topic = "evh";
    options.consumer.group_id = "contract";
    options.consumer.security = kafka::Security::kPlaintext;
    options.consumer.extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "300"}};
    options.max_bytes = kMaxBytes;
    options.once = once;
    options.revocation_deadline = 200ms;
    auto source = sources::EventHubsSource::create(options);
    EXPECT_TRUE(source.ok());
    return source.ok() ? std::unique_ptr<Source>(std::move(source).value()) : nullptr;
  }
  test::KafkaMock mock_{{{"evh", 1}}};
};

template <typename H>
class SourceContractTest : public ::testing::Test {
 protected:
  //! Inputs named input-N.json with distinct JSON content.
  void add_inputs(int count) {
    for (int i = 0; i < count; ++i) {
      const std::string content = "{\"n\": " + std::to_string(i) + "}";
      harness_.add("input-" + std::to_string(i) + ".json", content);
      contents_.insert(content);
    }
  }

  //! Everything the source hands out before it ends (bounded by count and time).
  static std::vector<Input> drain(Source& source, size_t at_most = 1000) {
    std::vector<Input> inputs;
    const std::stop_source stop;
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (inputs.size() < at_most && std::chrono::steady_clock::now() < deadline) {
      auto input = source.next(stop.get_token());
      if (!input) break;
      inputs.push_back(std::move(*input));
    }
    return inputs;
  }

  static std::string content_of(const Input& input) {
    std::string text = input.bytes;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
    return text;
  }

  H harness_;
  std::set<std::string> contents_;
};

using Harnesses = ::testing::Types<FolderHarness, FilesHarness, StdinHarness, EventHubsHarness>;
TYPED_TEST_SUITE(SourceContractTest, Harnesses);

TEST(SourceContract, EverySourceInTheRegistryIsCheckedHere) {
  // A new source adds its harness to Harnesses above, and its name here.
  EXPECT_EQ(sources::source_registry().names(), (std::vector<std::string>{"folder", "stdin", "files", "event_hubs"}));
}

TYPED_TEST(SourceContractTest, SaysWhatItIsAndWhatItReads) {
  this->add_inputs(1);
  auto source = this->harness_.open();
  ASSERT_NE(source, nullptr);
  EXPECT_FALSE(source->traits().kind.empty());
  EXPECT_FALSE(source->describe().empty());
}

TYPED_TEST(SourceContractTest, HandsOutEveryInputOnceWithItsContentThenEnds) {
  this->add_inputs(12);
  auto source = this->harness_.open();
  ASSERT_NE(source, nullptr);
  const auto inputs = this->drain(*source);
  ASSERT_EQ(inputs.size(), 12u);
  std::set<uint64_t> tokens;
  std::set<std::string> names;
  std::set<std::string> contents;
  for (const auto& input : inputs) {
    EXPECT_FALSE(input.read_error.has_value()) << input.name;
    tokens.insert(input.token);
    names.insert(input.name);
    contents.insert(this->content_of(input));
  }
  EXPECT_EQ(tokens.size(), 12u) << "two inputs share a token";
  EXPECT_EQ(names.size(), 12u) << "two inputs share a name";
  EXPECT_EQ(contents, this->contents_);
}

TYPED_TEST(SourceContractTest, AcknowledgementsInAnyOrderAreTakenAndASecondOneIsAnError) {
  this->add_inputs(6);
  auto source = this->harness_.open();
  ASSERT_NE(source, nullptr);
  auto inputs = this->drain(*source);
  ASSERT_EQ(inputs.size(), 6u);
  // Out of order: the last first, then the others backwards.
  for (auto it = inputs.rbegin(); it != inputs.rend(); ++it) {
    auto ack = source->acknowledge(*it, Outcome::kDone, nullptr);
    EXPECT_TRUE(ack.ok()) << it->name << ": " << (ack ? "" : ack.error().message);
  }
  EXPECT_FALSE(source->acknowledge(inputs.front(), Outcome::kDone, nullptr).ok())
      << "a second acknowledgement of the same input was taken";
}

TYPED_TEST(SourceContractTest, NextAndAcknowledgeRunOnTwoThreadsAtOnce) {
  constexpr int kInputs = 200;
  this->add_inputs(kInputs);
  auto source = this->harness_.open();
  ASSERT_NE(source, nullptr);
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Input> handed;
  bool ended = false;
  std::atomic<int> acknowledged{0};
  std::thread writer([&] {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait_for(lock, 10ms, [&] { return ended || !handed.empty(); });
      if (handed.empty() && ended) return;
      if (handed.empty()) continue;
      Input input = std::move(handed.front());
      handed.pop_front();
      lock.unlock();
      if (source->acknowledge(input, Outcome::kDone, nullptr)) ++acknowledged;
      lock.lock();
    }
  });
  const std::stop_source stop;
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  int read = 0;
  while (read < kInputs && std::chrono::steady_clock::now() < deadline) {
    auto input = source->next(stop.get_token());
    if (!input) break;
    ++read;
    const std::lock_guard lock(mutex);
    handed.push_back(std::move(*input));
    changed.notify_one();
  }
  {
    const std::lock_guard lock(mutex);
    ended = true;
    changed.notify_one();
  }
  writer.join();
  EXPECT_EQ(read, kInputs);
  EXPECT_EQ(acknowledged.load(), kInputs);
}

TYPED_TEST(SourceContractTest, AStopEndsANextThatWaits) {
  auto source = this->harness_.open_waiting();
  ASSERT_NE(source, nullptr);
  std::stop_source stop;
  auto next = std::async(std::launch::async, [&] { return source->next(stop.get_token()); });
  std::this_thread::sleep_for(100ms);
  stop.request_stop();
  ASSERT_EQ(next.wait_for(kDeadline), std::future_status::ready) << "next() did not return after a stop";
  EXPECT_FALSE(next.get().has_value());
}

TYPED_TEST(SourceContractTest, AnInputNeverAcknowledgedIsDeliveredAgain) {
  if (!this->harness_.redelivers_unacknowledged()) GTEST_SKIP() << "a stream keeps nothing to deliver again";
  this->add_inputs(4);
  {
    auto crashed = this->harness_.open();
    ASSERT_NE(crashed, nullptr);
    EXPECT_EQ(this->drain(*crashed).size(), 4u);
  }  // gone without a single acknowledgement, as after a crash
  auto restarted = this->harness_.open();
  ASSERT_NE(restarted, nullptr);
  std::set<std::string> again;
  for (const auto& input : this->drain(*restarted)) again.insert(this->content_of(input));
  EXPECT_EQ(again, this->contents_);
}

TYPED_TEST(SourceContractTest, AnInputAcknowledgedDoneIsNotDeliveredAgain) {
  if (!this->harness_.forgets_done() || !this->harness_.redelivers_unacknowledged()) {
    GTEST_SKIP() << "this source reads what it is told to every time";
  }
  this->add_inputs(3);
  {
    auto source = this->harness_.open();
    ASSERT_NE(source, nullptr);
    auto inputs = this->drain(*source);
    ASSERT_EQ(inputs.size(), 3u);
    // The middle one, unless the source may only forget from the oldest.
    ASSERT_TRUE(source->acknowledge(inputs[this->harness_.forgets_in_order() ? 0 : 1], Outcome::kDone, nullptr));
  }
  auto restarted = this->harness_.open();
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(this->drain(*restarted).size(), 2u);
}

TYPED_TEST(SourceContractTest, AQuarantinedInputIsKeptWhereTheAcknowledgementSaysOrLeftToTheDeadLetter) {
  this->add_inputs(1);
  auto source = this->harness_.open();
  ASSERT_NE(source, nullptr);
  auto inputs = this->drain(*source);
  ASSERT_EQ(inputs.size(), 1u);
  const core::Error reason = core::make_error("not a report", core::ErrorKind::kBadInput);
  auto ack = source->acknowledge(inputs[0], Outcome::kFailed, &reason);
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_FALSE(ack->requeued);
  if (!ack->location.empty()) {
    EXPECT_TRUE(source->traits().keeps_inputs);
    EXPECT_EQ(test::read_text(ack->location), inputs[0].bytes.substr(0, test::read_text(ack->location).size()));
  }
}

TYPED_TEST(SourceContractTest, APendingInputIsKeptOnlyBySourcesThatSaySo) {
  this->add_inputs(1);
  auto source = this->harness_.open();
  ASSERT_NE(source, nullptr);
  auto inputs = this->drain(*source);
  ASSERT_EQ(inputs.size(), 1u);
  if (!source->traits().can_defer) GTEST_SKIP() << "the engine never asks this source to keep an input for later";
  EXPECT_TRUE(source->acknowledge(inputs[0], Outcome::kPending, nullptr).ok());
}

}  // namespace
}  // namespace sb::engine
