// sources::FolderSource: backfill order, ignored names, complete-files-only, acknowledgement moves, replays and pending
// files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sources/folder_source.hpp"
#include "support/test_support.hpp"

namespace sb::sources {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr size_t kMaxBytes = 1024 * 1024;

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

//! Writes next to `path` under a *.tmp name and renames it into place, as a well-behaved producer does.
void write_by_rename(const fs::path& path, const std::string& content) {
  const fs::path temp = path.string() + ".tmp";
  write_file(temp, content);
  fs::rename(temp, path);
}

//! Sets the file's modification time to `target`.
void set_mtime_at(const fs::path& path, std::chrono::system_clock::time_point target) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(target.time_since_epoch()).count();
  timespec times[2];
  times[0].tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  times[0].tv_nsec = static_cast<long>(ns % 1'000'000'000);
  times[1] = times[0];
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

//! Sets the file's modification time `offset` away from now (negative: in the past).
void set_mtime(const fs::path& path, std::chrono::seconds offset) {
  set_mtime_at(path, std::chrono::system_clock::now() + offset);
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string file_name_of(const engine::Input& input) {
  return fs::path(input.name).filename().string();
}

//! next() on another thread; a call still blocked when the object goes away is ended through its stop token.
class AsyncNext {
 public:
  explicit AsyncNext(sources::FolderSource& source)
      : future_(std::async(std::launch::async, [&source, token = stop_.get_token()] { return source.next(token); })) {}
  ~AsyncNext() {
    if (!future_.valid()) return;
    stop_.request_stop();
    future_.wait();
  }
  AsyncNext(const AsyncNext&) = delete;
  AsyncNext& operator=(const AsyncNext&) = delete;

  bool ready_within(std::chrono::milliseconds wait) { return future_.wait_for(wait) == std::future_status::ready; }

  //! The input, or nullopt when nothing came within `deadline`.
  std::optional<engine::Input> get(std::chrono::milliseconds deadline) {
    if (!ready_within(deadline)) stop_.request_stop();
    return future_.get();
  }

 private:
  std::stop_source stop_;  // declared first: the call started in the constructor holds its token
  std::future<std::optional<engine::Input>> future_;
};

class FolderSourceTest : public ::testing::Test {
 protected:
  fs::path inbox() const { return dir_.path() / "inbox"; }
  fs::path done() const { return inbox() / "done"; }
  fs::path failed() const { return inbox() / "failed"; }

  std::unique_ptr<sources::FolderSource> make_source(bool once, std::chrono::milliseconds settle = 20ms,
                                                     std::chrono::milliseconds pending_recheck = 30s) {
    sources::FolderSourceOptions options;
    options.inbox = inbox();
    options.max_bytes = kMaxBytes;
    options.settle = settle;
    options.pending_recheck = pending_recheck;
    options.once = once;
    auto source = sources::FolderSource::create(options);
    EXPECT_TRUE(source.ok()) << (source.ok() ? "" : source.error().message);
    return source.ok() ? std::move(source).value() : nullptr;
  }

  //! next() with a deadline: a blocked call is ended through its stop token (nullopt means nothing came).
  static std::optional<engine::Input> next_within(sources::FolderSource& source, std::chrono::milliseconds deadline) {
    AsyncNext next(source);
    return next.get(deadline);
  }

  test::TempDir dir_;
};

TEST_F(FolderSourceTest, BackfillReadsOldestFirstThenByName) {
  fs::create_directories(inbox());
  write_file(inbox() / "b.json", "B");
  write_file(inbox() / "c.json", "C");
  write_file(inbox() / "a.json", "A");
  write_file(inbox() / "d.json", "D");
  const auto now = std::chrono::system_clock::now();
  set_mtime_at(inbox() / "b.json", now - 300s);
  set_mtime_at(inbox() / "c.json", now - 200s);
  set_mtime_at(inbox() / "a.json", now - 200s);  // same time as c.json: name order decides
  set_mtime_at(inbox() / "d.json", now - 100s);

  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  std::vector<std::string> order;
  std::vector<std::string> contents;
  while (auto input = next_within(*source, 3s)) {
    order.push_back(file_name_of(*input));
    contents.push_back(input->bytes);
    ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kDone, nullptr).ok());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"b.json", "a.json", "c.json", "d.json"}));
  EXPECT_EQ(contents, (std::vector<std::string>{"B", "A", "C", "D"}));
}

TEST_F(FolderSourceTest, BackfillIgnoresTmpAndDotFiles) {
  fs::create_directories(inbox());
  write_file(inbox() / "report.json", "{}");
  write_file(inbox() / "report2.json.tmp", "{}");
  write_file(inbox() / ".hidden.json", "{}");
  for (const auto* name : {"report.json", "report2.json.tmp", ".hidden.json"}) set_mtime(inbox() / name, -60s);

  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  std::vector<std::string> read;
  while (auto input = next_within(*source, 3s)) {
    read.push_back(file_name_of(*input));
    ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kDone, nullptr).ok());
  }
  EXPECT_EQ(read, std::vector<std::string>{"report.json"});
  EXPECT_EQ(names_in(inbox()), (std::vector<std::string>{".hidden.json", "report2.json.tmp"}));
  EXPECT_EQ(names_in(done()), std::vector<std::string>{"report.json"});
}

TEST_F(FolderSourceTest, WatchIgnoresTmpAndDotFilesWrittenLater) {
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);
  write_file(inbox() / "partial.json.tmp", "{}");
  write_file(inbox() / ".editor-swap", "{}");
  EXPECT_FALSE(next_within(*source, 400ms).has_value());

  write_file(inbox() / "real.json", "{}");
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(file_name_of(*input), "real.json");
}

TEST_F(FolderSourceTest, FileStillOpenForWritingIsNotReadUntilClosed) {
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);
  const std::string first_half = R"({"tc_report": [)";
  const std::string second_half = R"(], "processed": 1})";

  AsyncNext next_call(*source);
  const fs::path path = inbox() / "slow.json";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, first_half.data(), first_half.size()), static_cast<ssize_t>(first_half.size()));
  // The writer is still busy: nothing may be handed out, even after the settle time has long passed.
  EXPECT_FALSE(next_call.ready_within(500ms)) << "a file still open for writing was read";
  ASSERT_EQ(::write(fd, second_half.data(), second_half.size()), static_cast<ssize_t>(second_half.size()));
  ASSERT_EQ(::close(fd), 0);

  auto input = next_call.get(3s);
  ASSERT_TRUE(input.has_value()) << "the closed file was not picked up";
  EXPECT_EQ(file_name_of(*input), "slow.json");
  EXPECT_EQ(input->bytes, first_half + second_half);
}

TEST_F(FolderSourceTest, BackfillWaitsUntilARecentlyWrittenFileIsQuiet) {
  fs::create_directories(inbox());
  const fs::path path = inbox() / "growing.json";
  write_file(path, "x");
  auto source = make_source(true, 300ms);
  ASSERT_NE(source, nullptr);

  AsyncNext next_call(*source);
  // Keep appending for ~600 ms (twice the settle time): the file must not be handed out meanwhile.
  std::string expected = "x";
  const auto until = std::chrono::steady_clock::now() + 600ms;
  while (std::chrono::steady_clock::now() < until) {
    std::ofstream(path, std::ios::binary | std::ios::app) << "y";
    expected += "y";
    EXPECT_FALSE(next_call.ready_within(50ms)) << "a file still being written was read";
  }
  auto input = next_call.get(3s);
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->bytes, expected);
}

TEST_F(FolderSourceTest, RenameIntoPlaceIsPickedUpWhileWatching) {
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);
  AsyncNext next_call(*source);
  std::this_thread::sleep_for(100ms);  // let next() block in its wait first
  write_by_rename(inbox() / "arrived.json", R"({"a":1})");

  auto input = next_call.get(3s);
  ASSERT_TRUE(input.has_value()) << "a file renamed into the inbox was not picked up";
  EXPECT_EQ(file_name_of(*input), "arrived.json");
  EXPECT_EQ(input->bytes, R"({"a":1})");
  EXPECT_FALSE(input->read_error.has_value());
}

TEST_F(FolderSourceTest, FilesArrivingWhileWatchingAreEachReadOnce) {
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);
  write_file(inbox() / "one.json", "1");
  write_by_rename(inbox() / "two.json", "2");
  std::vector<std::string> read;
  while (auto input = next_within(*source, 500ms)) {
    read.push_back(file_name_of(*input));
    ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kDone, nullptr).ok());
  }
  std::sort(read.begin(), read.end());
  EXPECT_EQ(read, (std::vector<std::string>{"one.json", "two.json"}));
  EXPECT_EQ(names_in(done()), (std::vector<std::string>{"one.json", "two.json"}));
}

TEST_F(FolderSourceTest, AcknowledgeDoneMovesTheFileToDone) {
  fs::create_directories(inbox());
  write_file(inbox() / "r.json", "content");
  set_mtime(inbox() / "r.json", -10s);
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  auto acked = source->acknowledge(*input, engine::Outcome::kDone, nullptr);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_FALSE(fs::exists(inbox() / "r.json"));
  EXPECT_EQ(test::read_text(done() / "r.json"), "content");
  EXPECT_TRUE(names_in(failed()).empty());
  EXPECT_FALSE(source->acknowledge(*input, engine::Outcome::kDone, nullptr).ok())
      << "a second acknowledgement must fail";
}

TEST_F(FolderSourceTest, AcknowledgeFailedQuarantinesWithErrorSidecar) {
  fs::create_directories(inbox());
  write_file(inbox() / "bad.json", "{\"tc_report\": [1,");
  set_mtime(inbox() / "bad.json", -10s);
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  const core::Error reason = core::Error::at("invalid or truncated JSON at byte 17", 17);
  auto acked = source->acknowledge(*input, engine::Outcome::kFailed, &reason);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_EQ(fs::path(acked->location), failed() / "bad.json");
  EXPECT_FALSE(fs::exists(inbox() / "bad.json"));
  EXPECT_EQ(test::read_text(failed() / "bad.json"), "{\"tc_report\": [1,");
  ASSERT_TRUE(fs::exists(failed() / "bad.json.error.json"));

  simdjson::dom::parser parser;
  simdjson::dom::element sidecar;
  const auto text = test::read_text(failed() / "bad.json.error.json");
  ASSERT_EQ(parser.parse(text).get(sidecar), simdjson::SUCCESS) << text;
  std::string_view reason_text;
  ASSERT_EQ(sidecar["reason"].get(reason_text), simdjson::SUCCESS) << text;
  EXPECT_EQ(reason_text, "invalid or truncated JSON at byte 17");
  int64_t offset = -1;
  ASSERT_EQ(sidecar["offset"].get(offset), simdjson::SUCCESS) << text;
  EXPECT_EQ(offset, 17);
  std::string_view time;
  ASSERT_EQ(sidecar["time"].get(time), simdjson::SUCCESS) << text;
  EXPECT_EQ(time.size(), std::string_view("2026-01-01T00:00:00.000Z").size()) << time;
  EXPECT_TRUE(time.ends_with('Z')) << time;
  std::string_view file;
  ASSERT_EQ(sidecar["file"].get(file), simdjson::SUCCESS) << text;
  EXPECT_TRUE(file.ends_with("bad.json")) << file;
}

TEST_F(FolderSourceTest, QuarantineWithoutKnownOffsetWritesNullOffset) {
  fs::create_directories(inbox());
  write_file(inbox() / "big.json", "{}");
  set_mtime(inbox() / "big.json", -10s);
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  const core::Error reason = core::make_error("not a Spectra Detect task report: no tc_report array");
  ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kFailed, &reason).ok());
  simdjson::dom::parser parser;
  simdjson::dom::element sidecar;
  const auto text = test::read_text(failed() / "big.json.error.json");
  ASSERT_EQ(parser.parse(text).get(sidecar), simdjson::SUCCESS) << text;
  simdjson::dom::element offset;
  ASSERT_EQ(sidecar["offset"].get(offset), simdjson::SUCCESS) << text;
  EXPECT_TRUE(offset.is_null()) << text;
}

TEST_F(FolderSourceTest, QuarantineSidecarIsValidJsonForAFileNameThatIsNotUtf8) {
  // Linux file names are bytes; a Latin-1 name copied from an old share is not UTF-8.
  fs::create_directories(inbox());
  const std::string name = "rapport-\xE9t\xE9.json";
  write_file(inbox() / name, "not json");
  set_mtime(inbox() / name, -10s);
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  const core::Error reason = core::make_error("invalid JSON");
  ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kFailed, &reason).ok());
  const auto sidecar_path = failed() / (name + ".error.json");
  ASSERT_TRUE(fs::exists(sidecar_path));
  const auto text = test::read_text(sidecar_path);
  simdjson::dom::parser parser;
  simdjson::dom::element sidecar;
  EXPECT_EQ(parser.parse(text).get(sidecar), simdjson::SUCCESS)
      << "the .error.json sidecar is not valid JSON (raw non-UTF-8 bytes of the file name): " << text;
}

TEST_F(FolderSourceTest, OversizedFileIsHandedOutWithAReadErrorNotItsBytes) {
  fs::create_directories(inbox());
  write_file(inbox() / "huge.json", std::string(2000, ' ') + "{}");
  set_mtime(inbox() / "huge.json", -10s);
  sources::FolderSourceOptions options;
  options.inbox = inbox();
  options.max_bytes = 1000;
  options.settle = 20ms;
  options.once = true;
  auto source = sources::FolderSource::create(options);
  ASSERT_TRUE(source.ok());
  auto input = next_within(**source, 3s);
  ASSERT_TRUE(input.has_value());
  ASSERT_TRUE(input->read_error.has_value());
  EXPECT_NE(input->read_error->message.find("max_report_bytes"), std::string::npos) << input->read_error->message;
  EXPECT_TRUE(input->bytes.empty());
}

TEST_F(FolderSourceTest, NameCollisionInDoneDoesNotOverwrite) {
  fs::create_directories(done());
  write_file(done() / "same.json", "first");
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);

  for (const std::string content : {"second", "third"}) {
    write_by_rename(inbox() / "same.json", content);
    auto input = next_within(*source, 3s);
    ASSERT_TRUE(input.has_value());
    ASSERT_EQ(input->bytes, content);
    ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kDone, nullptr).ok());
  }
  EXPECT_EQ(test::read_text(done() / "same.json"), "first");
  EXPECT_EQ(test::read_text(done() / "same.json.1"), "second");
  EXPECT_EQ(test::read_text(done() / "same.json.2"), "third");
  EXPECT_FALSE(fs::exists(inbox() / "same.json"));
}

TEST_F(FolderSourceTest, NameCollisionInFailedKeepsBothFilesAndBothSidecars) {
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);
  for (const std::string content : {"bad-1", "bad-2"}) {
    write_by_rename(inbox() / "bad.json", content);
    auto input = next_within(*source, 3s);
    ASSERT_TRUE(input.has_value());
    const core::Error reason = core::make_error("reason for " + content);
    ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kFailed, &reason).ok());
  }
  EXPECT_EQ(test::read_text(failed() / "bad.json"), "bad-1");
  EXPECT_EQ(test::read_text(failed() / "bad.json.1"), "bad-2");
  EXPECT_NE(test::read_text(failed() / "bad.json.error.json").find("reason for bad-1"), std::string::npos);
  EXPECT_NE(test::read_text(failed() / "bad.json.1.error.json").find("reason for bad-2"), std::string::npos);
}

TEST_F(FolderSourceTest, FileReplacedWhileInFlightIsReadAgainNotMoved) {
  auto source = make_source(false);
  ASSERT_NE(source, nullptr);
  write_by_rename(inbox() / "r.json", "old content");
  auto first = next_within(*source, 3s);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->bytes, "old content");

  write_by_rename(inbox() / "r.json", "new content, longer");
  auto acked = source->acknowledge(*first, engine::Outcome::kDone, nullptr);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_TRUE(fs::exists(inbox() / "r.json")) << "the replacement was moved away unread";
  EXPECT_TRUE(names_in(done()).empty());

  auto second = next_within(*source, 3s);
  ASSERT_TRUE(second.has_value()) << "the replacement was not read again";
  EXPECT_EQ(second->bytes, "new content, longer");
  ASSERT_TRUE(source->acknowledge(*second, engine::Outcome::kDone, nullptr).ok());
  EXPECT_EQ(names_in(done()), std::vector<std::string>{"r.json"});
  EXPECT_EQ(test::read_text(done() / "r.json"), "new content, longer");
  EXPECT_FALSE(next_within(*source, 300ms).has_value()) << "the same file was handed out a third time";
}

// Regression: a file rewritten in place while in flight was offered again the moment it was acknowledged, so
// next() read whatever half the writer had written so far.
TEST_F(FolderSourceTest, RegressionAFileRewrittenInPlaceWhileInFlightIsReadAgainOnlyOnceTheWriterClosesIt) {
  auto source = make_source(false, /*settle=*/10s);
  ASSERT_NE(source, nullptr);
  write_by_rename(inbox() / "r.json", "old content");
  auto first = next_within(*source, 3s);
  ASSERT_TRUE(first.has_value());

  const std::string first_half = "new content, ";
  const std::string second_half = "written in two parts";
  const int fd = ::open((inbox() / "r.json").c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, first_half.data(), first_half.size()), static_cast<ssize_t>(first_half.size()));
  ASSERT_TRUE(source->acknowledge(*first, engine::Outcome::kDone, nullptr).ok());
  EXPECT_TRUE(fs::exists(inbox() / "r.json")) << "the rewritten file was moved away unread";

  AsyncNext next_call(*source);
  EXPECT_FALSE(next_call.ready_within(500ms)) << "a file still open for writing was read again";
  ASSERT_EQ(::write(fd, second_half.data(), second_half.size()), static_cast<ssize_t>(second_half.size()));
  ASSERT_EQ(::close(fd), 0);
  auto second = next_call.get(3s);
  ASSERT_TRUE(second.has_value()) << "the closed file was not read again";
  EXPECT_EQ(second->bytes, first_half + second_half);
}

// Regression: an event that came before the file was read (a writer that wrote it twice) counted as a rewrite during
// the flight, so a partial rewrite in flight was offered again at once.
TEST_F(FolderSourceTest, RegressionAnEventBeforeTheReadDoesNotMakeAPartialRewriteInFlightReadable) {
  auto source = make_source(false, /*settle=*/10s);
  ASSERT_NE(source, nullptr);
  write_by_rename(inbox() / "r.json", "first");
  write_file(inbox() / "r.json", "second, complete");  // a second close before anything was read
  auto first = next_within(*source, 3s);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->bytes, "second, complete");

  const int fd = ::open((inbox() / "r.json").c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "part", 4), 4);
  ASSERT_TRUE(source->acknowledge(*first, engine::Outcome::kDone, nullptr).ok());
  AsyncNext next_call(*source);
  EXPECT_FALSE(next_call.ready_within(500ms)) << "a file still open for writing was read again";
  ASSERT_EQ(::close(fd), 0);
  auto second = next_call.get(3s);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->bytes, "part");
}

// Regression: a file whose acknowledgement failed (done/ could not take it) stayed in the inbox unoffered until a
// restart.
TEST_F(FolderSourceTest, RegressionAFileThatCouldNotBeMovedIsOfferedAgainAfterAPause) {
  auto source = make_source(false, 20ms, /*pending_recheck=*/200ms);
  ASSERT_NE(source, nullptr);
  write_by_rename(inbox() / "m.json", "content");
  auto first = next_within(*source, 3s);
  ASSERT_TRUE(first.has_value());
  fs::remove_all(done());
  fs::create_directory_symlink(dir_.path() / "missing", done());  // done/ leads nowhere: the move fails
  EXPECT_FALSE(source->acknowledge(*first, engine::Outcome::kDone, nullptr).ok());
  EXPECT_TRUE(fs::exists(inbox() / "m.json"));

  fs::remove(done());
  fs::create_directory(done());
  auto again = next_within(*source, 3s);
  ASSERT_TRUE(again.has_value()) << "the file was stranded in the inbox";
  EXPECT_EQ(again->bytes, "content");
  ASSERT_TRUE(source->acknowledge(*again, engine::Outcome::kDone, nullptr).ok());
  EXPECT_EQ(names_in(done()), std::vector<std::string>{"m.json"});
}

TEST_F(FolderSourceTest, FileReplacedWhileInFlightIsNotQuarantined) {
  fs::create_directories(inbox());
  write_file(inbox() / "r.json", "broken");
  set_mtime(inbox() / "r.json", -10s);
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  auto first = next_within(*source, 3s);
  ASSERT_TRUE(first.has_value());

  write_by_rename(inbox() / "r.json", "fixed");
  set_mtime(inbox() / "r.json", -5s);
  const core::Error reason = core::make_error("invalid JSON");
  ASSERT_TRUE(source->acknowledge(*first, engine::Outcome::kFailed, &reason).ok());
  EXPECT_TRUE(names_in(failed()).empty()) << "a fixed replacement was quarantined with the old content's error";
  EXPECT_TRUE(fs::exists(inbox() / "r.json"));

  auto second = next_within(*source, 3s);
  ASSERT_TRUE(second.has_value()) << "--once ended without reading the replacement";
  EXPECT_EQ(second->bytes, "fixed");
}

TEST_F(FolderSourceTest, PendingFileStaysInTheInboxAndOnceEnds) {
  fs::create_directories(inbox());
  write_file(inbox() / "pending.json", R"({"processed": null})");
  set_mtime(inbox() / "pending.json", -10s);
  {
    auto source = make_source(true);
    ASSERT_NE(source, nullptr);
    auto input = next_within(*source, 3s);
    ASSERT_TRUE(input.has_value());
    ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kPending, nullptr).ok());
    EXPECT_EQ(source->pending_files(), 1u);
    EXPECT_TRUE(fs::exists(inbox() / "pending.json"));
    EXPECT_TRUE(names_in(done()).empty());
    EXPECT_TRUE(names_in(failed()).empty());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(next_within(*source, 3s).has_value());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s) << "--once waited on a pending file";
  }
  // A later run (restart) looks at it again.
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  auto again = next_within(*source, 3s);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(file_name_of(*again), "pending.json");
}

TEST_F(FolderSourceTest, PendingFileIsRecheckedWhileWatching) {
  auto source = make_source(false, 20ms, 200ms);
  ASSERT_NE(source, nullptr);
  write_by_rename(inbox() / "pending.json", R"({"processed": null})");
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kPending, nullptr).ok());
  const auto acked_at = std::chrono::steady_clock::now();

  auto again = next_within(*source, 3s);
  ASSERT_TRUE(again.has_value()) << "a pending report was never looked at again";
  EXPECT_EQ(file_name_of(*again), "pending.json");
  EXPECT_GE(std::chrono::steady_clock::now() - acked_at, 150ms) << "pending report re-read without waiting";
  EXPECT_TRUE(fs::exists(inbox() / "pending.json"));
}

TEST_F(FolderSourceTest, PendingFileRewrittenIsReadWithoutWaitingForTheRecheck) {
  auto source = make_source(false, 20ms, 60s);
  ASSERT_NE(source, nullptr);
  write_by_rename(inbox() / "task.json", R"({"processed": null})");
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  ASSERT_TRUE(source->acknowledge(*input, engine::Outcome::kPending, nullptr).ok());

  write_by_rename(inbox() / "task.json", R"({"processed": 1, "tc_report": []})");
  auto again = next_within(*source, 3s);
  ASSERT_TRUE(again.has_value()) << "the finished report waited for the pending recheck";
  EXPECT_EQ(again->bytes, R"({"processed": 1, "tc_report": []})");
  ASSERT_TRUE(source->acknowledge(*again, engine::Outcome::kDone, nullptr).ok());
  EXPECT_EQ(source->pending_files(), 0u);
  EXPECT_EQ(names_in(done()), std::vector<std::string>{"task.json"});
}

TEST_F(FolderSourceTest, OnceDrainsAFileWhoseModificationTimeIsInTheFuture) {
  // Files copied with their times kept (cp -p, tar, rsync -t) from a machine whose clock runs ahead.
  fs::create_directories(inbox());
  write_file(inbox() / "skewed.json", "{}");
  set_mtime(inbox() / "skewed.json", 3600s);
  auto source = make_source(true, 50ms);
  ASSERT_NE(source, nullptr);
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value()) << "--once hangs on a file with a future mtime (it waits until that time + settle)";
  EXPECT_EQ(file_name_of(*input), "skewed.json");
}

TEST_F(FolderSourceTest, FileDeletedBeforeItIsReadIsSkipped) {
  fs::create_directories(inbox());
  write_file(inbox() / "a.json", "A");
  write_file(inbox() / "b.json", "B");
  set_mtime(inbox() / "a.json", -20s);
  set_mtime(inbox() / "b.json", -10s);
  auto source = make_source(true);
  ASSERT_NE(source, nullptr);
  fs::remove(inbox() / "a.json");
  auto input = next_within(*source, 3s);
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(file_name_of(*input), "b.json");
  EXPECT_FALSE(input->read_error.has_value());
}

}  // namespace
}  // namespace sb::sources
