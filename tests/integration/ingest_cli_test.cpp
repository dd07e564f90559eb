// The built binary end to end: ingest/run over a folder of real and bad reports, flatten, config check, graceful stop.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/settings.hpp"
#include "core/config.hpp"
#include "detect/schema.hpp"
#include "support/test_support.hpp"

namespace sb::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kNestedSample = "tiscale_response.json";
constexpr std::string_view kFlatSample = "sdk_py3_test_tiscale_flat_view_result.json";
constexpr std::string_view kPendingSample = "tiscale_list_processing_response.json";
constexpr std::string_view kNoReportSample = "tiscale_upload_response.json";
constexpr size_t kSmallMaxReportBytes = 65536;  // above the 20 kB nesting file, below the oversized one
constexpr int kDeepNesting = 10000;

fs::path sample(std::string_view name) {
  return samples_dir() / "spectra-detect" / std::string(name);
}

//! Moves the file's modification time into the past, so a start-up backfill reads it without settling.
void age_file(const fs::path& path) {
  const auto then = std::chrono::system_clock::now() - 60s;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(then.time_since_epoch()).count();
  timespec times[2];
  times[0].tv_sec = static_cast<time_t>(seconds);
  times[0].tv_nsec = 0;
  times[1] = times[0];
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

std::string minified(std::string_view name) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto text = read_text(sample(name));
  EXPECT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << name;
  return simdjson::to_string(root);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> schema_names() {
  std::vector<std::string> names;
  for (const auto& column : detect::kColumns) names.emplace_back(column.name);
  return names;
}

int64_t store_rows(const fs::path& store) {
  return query_int(store, "SELECT COUNT(*) FROM spectra_detect_logs");
}
int64_t dead_letters(const fs::path& store) {
  return query_int(store, "SELECT COUNT(*) FROM dead_letters");
}

//! Sets an environment variable for the lifetime of the object (children started meanwhile inherit it).
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
};

//! The binary started in the background (for commands that run until stopped); killed if still running at the end.
class Spawned {
 public:
  Spawned(const std::vector<std::string>& args, const fs::path& cwd) {
    const auto out_path = io_.path() / "stdout";
    const auto err_path = io_.path() / "stderr";
    std::string binary = SB_BINARY;
    std::vector<std::string> copies = args;
    std::vector<char*> argv;
    argv.push_back(binary.data());
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (::chdir(cwd.c_str()) != 0) _exit(127);
      const int in = ::open("/dev/null", O_RDONLY);
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Spawned() {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  bool started() const { return pid_ > 0; }
  void signal(int sig) const { ::kill(pid_, sig); }

  //! The exit code once the process ended within `timeout` (128 + signal when a signal ended it).
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_code_) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(20ms);
    }
    return exit_code_;
  }

  std::string err() const { return read_text(io_.path() / "stderr"); }
  std::string out() const { return read_text(io_.path() / "stdout"); }

 private:
  TempDir io_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

//! Polls `condition` until it holds or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

class CliTest : public ::testing::Test {
 protected:
  const fs::path& cwd() const { return dir_.path(); }
  fs::path inbox() const { return cwd() / "spectra-bridge-data" / "inbox" / "detect"; }
  fs::path store() const { return cwd() / "spectra-bridge-data" / "store.db"; }

  //! Copies a sample into the inbox (aged, so --once does not wait for it to settle).
  void drop_sample(std::string_view name, const std::string& as = {}) {
    const auto target = inbox() / (as.empty() ? std::string(name) : as);
    fs::create_directories(inbox());
    fs::copy_file(sample(name), target, fs::copy_options::overwrite_existing);
    age_file(target);
  }
  void drop_file(const std::string& name, const std::string& content) {
    write_file(inbox() / name, content);
    age_file(inbox() / name);
  }

  TempDir dir_;
};

//! Every kind of bad input the issue lists, with the words its quarantine reason must contain.
struct BadInput {
  std::string name;
  std::string content;
  std::string reason;
};

std::vector<BadInput> bad_inputs() {
  const std::string nested = read_text(sample(kNestedSample));
  std::string invalid_utf8 = nested;
  const auto at = invalid_utf8.find("Win32.Trojan.Graftor");
  invalid_utf8.replace(at + 5, 1, "\xC3\x28");  // a lead byte followed by a non-continuation byte
  std::string oversized = nested;
  oversized.insert(oversized.rfind('}'), ",\"padding\":\"" + std::string(kSmallMaxReportBytes, 'p') + "\"");
  return {
      {"not_json.json", "this is not JSON at all\n", "JSON"},
      {"truncated.json", nested.substr(0, nested.size() / 2), "truncated"},
      {"no_tc_report.json", R"({"task_id": 7, "submitted": 1, "processed": 2})", "no tc_report"},
      {"tc_report_object.json", R"({"task_id": 7, "processed": 2, "tc_report": {"info": {}}})",
       "tc_report is an object, expected an array"},
      {"tc_report_entries_wrong_type.json", R"({"task_id": 7, "processed": 2, "tc_report": [42, "x"]})",
       "tc_report[0] is a number, expected an object"},
      {"oversized.json", oversized, "max_report_bytes"},
      {"deep_nesting.json", std::string(kDeepNesting, '[') + std::string(kDeepNesting, ']'), "nested deeper"},
      {"invalid_utf8.json", invalid_utf8, "UTF-8"},
      {"empty.json", "", "empty"},
      {std::string(kNoReportSample), read_text(sample(kNoReportSample)), "tc_report"},
  };
}

TEST_F(CliTest, IngestOnceStoresGoodReportsQuarantinesEveryKindOfBadInputAndLeavesPendingOnes) {
  write_file(cwd() / "spectra-bridge.toml",
             "[ingest]\nmax_report_bytes = " + std::to_string(kSmallMaxReportBytes) + "\n");
  drop_sample(kNestedSample);
  drop_sample(kFlatSample);
  drop_sample(kPendingSample);
  const auto bad = bad_inputs();
  for (const auto& input : bad) drop_file(input.name, input.content);
  drop_file(".hidden.json", read_text(sample(kNestedSample)));
  drop_file("incoming.json.tmp", read_text(sample(kNestedSample)));

  const auto start = std::chrono::steady_clock::now();
  const auto result = run_binary({"ingest", "--once"}, cwd());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  EXPECT_EQ(names_in(inbox() / "done"),
            (std::vector<std::string>{std::string(kFlatSample), std::string(kNestedSample)}));
  EXPECT_EQ(names_in(inbox()),
            (std::vector<std::string>{".hidden.json", "incoming.json.tmp", std::string(kPendingSample)}))
      << "only the pending report and ignored names may stay in the inbox";
  EXPECT_EQ(store_rows(store()), 2);
  EXPECT_EQ(dead_letters(store()), static_cast<int64_t>(bad.size()));

  simdjson::dom::parser parser;
  for (const auto& input : bad) {
    SCOPED_TRACE(input.name);
    EXPECT_TRUE(fs::exists(inbox() / "failed" / input.name)) << "not quarantined";
    const auto sidecar_path = inbox() / "failed" / (input.name + ".error.json");
    ASSERT_TRUE(fs::exists(sidecar_path)) << "no .error.json";
    const auto text = read_text(sidecar_path);
    simdjson::dom::element sidecar;
    ASSERT_EQ(parser.parse(text).get(sidecar), simdjson::SUCCESS) << text;
    std::string_view reason;
    ASSERT_EQ(sidecar["reason"].get(reason), simdjson::SUCCESS) << text;
    EXPECT_NE(reason.find(input.reason), std::string_view::npos) << "reason: " << reason;
    std::string_view file;
    ASSERT_EQ(sidecar["file"].get(file), simdjson::SUCCESS) << text;
    EXPECT_TRUE(file.ends_with(input.name)) << file;
    std::string_view time;
    EXPECT_EQ(sidecar["time"].get(time), simdjson::SUCCESS) << text;
    EXPECT_NE(result.err.find(input.name), std::string::npos) << "the log does not name the quarantined file";
  }
  // Where the bad byte is known, the sidecar says where.
  const auto utf8_sidecar = read_text(inbox() / "failed" / "invalid_utf8.json.error.json");
  simdjson::dom::element utf8;
  ASSERT_EQ(parser.parse(utf8_sidecar).get(utf8), simdjson::SUCCESS);
  int64_t offset = -1;
  ASSERT_EQ(utf8["offset"].get(offset), simdjson::SUCCESS) << utf8_sidecar;
  const auto expected_offset = read_text(sample(kNestedSample)).find("Win32.Trojan.Graftor") + 5;
  EXPECT_EQ(offset, static_cast<int64_t>(expected_offset));
  EXPECT_NE(result.err.find(std::string(kPendingSample)), std::string::npos) << "the pending report is not logged";
}

TEST_F(CliTest, DeadLetterRecordSaysWhereTheQuarantinedFileNowIs) {
  drop_file("broken.json", "{\"tc_report\": [");
  drop_file("other.json", "{\"tc_report\": [");
  fs::create_directories(inbox() / "failed");
  write_file(inbox() / "failed" / "other.json", "an older quarantined file with the same name");
  const auto result = run_binary({"ingest", "--once"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(dead_letters(store()), 2);
  EXPECT_EQ(query_int(store(), "SELECT COUNT(*) FROM dead_letters WHERE location LIKE '%failed/broken.json'"), 1)
      << "dead_letters.location does not name failed/broken.json";
  EXPECT_EQ(query_int(store(), "SELECT COUNT(*) FROM dead_letters WHERE location LIKE '%failed/other.json.1'"), 1)
      << "dead_letters.location does not name the renamed failed/other.json.1";
}

TEST_F(CliTest, IngestOnceAgainAddsNoRowsAndACopyUnderANewNameAddsNoRows) {
  drop_sample(kNestedSample);
  drop_sample(kFlatSample);
  auto first = run_binary({"ingest", "--once"}, cwd());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(store_rows(store()), 2);

  auto again = run_binary({"ingest", "--once"}, cwd());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(store_rows(store()), 2);

  // Restart after a crash between commit and move: the same reports come back, under any name.
  drop_sample(kNestedSample, "copy-of-report.json");
  drop_sample(kFlatSample);
  auto replay = run_binary({"ingest", "--once"}, cwd());
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(store_rows(store()), 2) << "a replayed report added rows";
  EXPECT_EQ(dead_letters(store()), 0);
  EXPECT_EQ(names_in(inbox() / "done"),
            (std::vector<std::string>{"copy-of-report.json", std::string(kFlatSample), std::string(kFlatSample) + ".1",
                                      std::string(kNestedSample)}));
  EXPECT_TRUE(names_in(inbox()).empty());
}

TEST_F(CliTest, RunOnceWithoutConfigUsesTheEmbeddedDefaultAndPrintsASummaryNamingTheStore) {
  drop_sample(kNestedSample);
  const auto result = run_binary({"run", "--once"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("spectra-bridge-data/store.db"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Ingested 1 file(s)"), std::string::npos) << result.out;
  EXPECT_EQ(store_rows(store()), 1);
  EXPECT_EQ(names_in(inbox() / "done"), std::vector<std::string>{std::string(kNestedSample)});
}

TEST_F(CliTest, RunOnceOnAnEmptyFolderCreatesTheDefaultLayout) {
  const auto result = run_binary({"run", "--once"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::is_directory(inbox() / "done"));
  EXPECT_TRUE(fs::is_directory(inbox() / "failed"));
  EXPECT_EQ(store_rows(store()), 0);
}

TEST_F(CliTest, IngestOnceExitsWhenAReportHasAModificationTimeInTheFuture) {
  // cp -p / tar / rsync -t from a machine whose clock runs ahead keep a future mtime.
  drop_sample(kNestedSample);
  const auto future = std::chrono::system_clock::now() + 3600s;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(future.time_since_epoch()).count();
  timespec times[2];
  times[0].tv_sec = static_cast<time_t>(seconds);
  times[0].tv_nsec = 0;
  times[1] = times[0];
  ASSERT_EQ(::utimensat(AT_FDCWD, (inbox() / kNestedSample).c_str(), times, 0), 0);

  Spawned ingest({"ingest", "--once"}, cwd());
  ASSERT_TRUE(ingest.started());
  const auto code = ingest.wait_for_exit(4s);
  ASSERT_TRUE(code.has_value()) << "ingest --once still running after 4 s: it waits for the file's mtime to pass";
  EXPECT_EQ(*code, 0) << ingest.err();
  EXPECT_EQ(store_rows(store()), 1);
}

TEST_F(CliTest, IngestWithTheNdjsonSinkPrintsSchemaRowsOnStdoutAndStillQuarantines) {
  drop_sample(kNestedSample);
  drop_sample(kFlatSample);
  drop_file("bad.json", "[");
  const ScopedEnv sinks("SPECTRA_BRIDGE__INGEST__SINKS", "ndjson");
  const auto result = run_binary({"ingest", "--once"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  simdjson::dom::parser parser;
  for (const auto& line : lines) {
    simdjson::dom::object row;
    ASSERT_EQ(parser.parse(line).get(row), simdjson::SUCCESS) << line;
    std::vector<std::string> keys;
    for (const auto field : row) keys.emplace_back(field.key);
    EXPECT_EQ(keys, schema_names());
  }
  EXPECT_FALSE(fs::exists(store())) << "the store was created although only the ndjson sink is configured";
  EXPECT_TRUE(fs::exists(inbox() / "failed" / "bad.json.error.json"));
  EXPECT_EQ(names_in(inbox() / "done").size(), 2u);
}

TEST_F(CliTest, IngestFileListReadsTheFilesLeavesThemInPlaceAndRecordsTheBadOne) {
  write_file(cwd() / "reports" / "good.json", read_text(sample(kNestedSample)));
  write_file(cwd() / "reports" / "bad.json", "{oops");
  const auto result = run_binary({"ingest", "--once", "reports/good.json", "reports/bad.json"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(store_rows(store()), 1);
  EXPECT_EQ(dead_letters(store()), 1);
  EXPECT_TRUE(fs::exists(cwd() / "reports" / "good.json"));
  EXPECT_TRUE(fs::exists(cwd() / "reports" / "bad.json"));
  EXPECT_NE(result.err.find("bad.json"), std::string::npos) << result.err;
}

TEST_F(CliTest, IngestFromStdinStoresGoodDocumentsAndKeepsTheBadOneAsADeadLetter) {
  const std::string input =
      minified(kNestedSample) + "\n{\"tc_report\": 5, \"processed\": 1}\n" + minified(kFlatSample) + "\n";
  const auto result = run_binary({"ingest", "--source", "stdin", "--once"}, cwd(), input);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(store_rows(store()), 2);
  EXPECT_EQ(dead_letters(store()), 1);
  EXPECT_EQ(query_int(store(), "SELECT length(payload) > 0 FROM dead_letters"), 1)
      << "stdin keeps nothing else, so the dead letter must carry the payload";
  EXPECT_NE(result.err.find("stdin#2"), std::string::npos) << result.err;
}

TEST_F(CliTest, FlattenSamplesPrintsOneLinePerEntryWithExactlyTheSchemaKeysInOrder) {
  const auto result = run_binary(
      {"flatten", sample(kNestedSample).string(), sample(kFlatSample).string(), sample(kPendingSample).string()},
      cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  simdjson::dom::parser parser;
  std::vector<std::string> task_ids;
  for (const auto& line : lines) {
    simdjson::dom::object row;
    ASSERT_EQ(parser.parse(line).get(row), simdjson::SUCCESS) << line;
    std::vector<std::string> keys;
    for (const auto field : row) keys.emplace_back(field.key);
    EXPECT_EQ(keys, schema_names());
    std::string_view task_id;
    ASSERT_EQ(row["task_id"].get(task_id), simdjson::SUCCESS);
    task_ids.emplace_back(task_id);
  }
  EXPECT_EQ(task_ids, (std::vector<std::string>{"15794", "119"}));
  EXPECT_NE(result.err.find(std::string(kPendingSample)), std::string::npos) << "pending report not mentioned";
}

TEST_F(CliTest, FlattenWithABadFileExitsNonZeroNamingItAndStillPrintsTheGoodRows) {
  write_file(cwd() / "good.json", read_text(sample(kNestedSample)));
  write_file(cwd() / "bad.json", "{\"tc_report\": [");
  const auto result = run_binary({"flatten", "good.json", "bad.json"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("bad.json"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("good.json"), std::string::npos) << "the good file is blamed: " << result.err;
  EXPECT_EQ(lines_of(result.out).size(), 1u) << result.out;
}

TEST_F(CliTest, FlattenOfAMissingFileExitsNonZeroNamingIt) {
  const auto result = run_binary({"flatten", "no-such-report.json"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("no-such-report.json"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST_F(CliTest, FlattenDashReadsNdjsonReportsFromStdin) {
  const std::string input = minified(kNestedSample) + "\n" + minified(kFlatSample) + "\n";
  const auto result = run_binary({"flatten", "-"}, cwd(), input);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  EXPECT_NE(lines[0].find("\"task_id\":\"15794\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\"task_id\":\"119\""), std::string::npos) << lines[1];
}

TEST_F(CliTest, FlattenDashNamesTheBadDocumentByItsPosition) {
  const std::string input = minified(kNestedSample) + "\n[1, 2\n";
  const auto result = run_binary({"flatten", "-"}, cwd(), input);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("stdin#2"), std::string::npos) << result.err;
  EXPECT_EQ(lines_of(result.out).size(), 1u);
}

TEST_F(CliTest, ConfigCheckRejectsAnUnknownKeyAndNamesIt) {
  write_file(cwd() / "custom.toml", "[ingest]\nmax_report_bites = 4096\n");
  const auto result = run_binary({"config", "check", "custom.toml"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("ingest.max_report_bites"), std::string::npos) << result.err;
}

TEST_F(CliTest, ConfigCheckOfAMissingFileFailsNamingIt) {
  const auto result = run_binary({"config", "check", "missing.toml"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("missing.toml"), std::string::npos) << result.err;
}

TEST_F(CliTest, ConfigCheckOfInvalidTomlFailsNamingTheFileAndLine) {
  write_file(cwd() / "broken.toml", "[ingest]\nbatch_rows = = 5\n");
  const auto result = run_binary({"config", "check", "broken.toml"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("broken.toml:2"), std::string::npos) << result.err;
}

TEST_F(CliTest, ConfigCheckRejectsAValueOutsideItsRangeNamingTheKey) {
  write_file(cwd() / "spectra-bridge.toml", "[ingest]\nmax_report_bytes = 0\n");
  const auto result = run_binary({"config", "check"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("ingest.max_report_bytes"), std::string::npos) << result.err;
}

TEST_F(CliTest, ConfigCheckPrintsTheEffectiveConfigWithFileAndEnvironmentValues) {
  write_file(cwd() / "spectra-bridge.toml", "[ingest]\nmax_report_bytes = 4096\n");
  const ScopedEnv batch("SPECTRA_BRIDGE__INGEST__BATCH_ROWS", "77");
  const auto result = run_binary({"config", "check"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("max_report_bytes = 4096"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("batch_rows = 77"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("SPECTRA_BRIDGE__INGEST__BATCH_ROWS"), std::string::npos) << result.out;
}

TEST_F(CliTest, ConfigCheckAcceptsListsFromTheEnvironmentAsJsonOrCommaSeparated) {
  {
    const ScopedEnv sinks("SPECTRA_BRIDGE__INGEST__SINKS", "store, ndjson");
    const auto result = run_binary({"config", "check"}, cwd());
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find(R"(sinks = ["store", "ndjson"])"), std::string::npos) << result.out;
  }
  const ScopedEnv sinks("SPECTRA_BRIDGE__INGEST__SINKS", R"(["ndjson"])");
  const auto result = run_binary({"config", "check"}, cwd());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(R"(sinks = ["ndjson"])"), std::string::npos) << result.out;
}

TEST_F(CliTest, ConfigCheckRejectsAnEnvironmentValueOfTheWrongTypeNamingTheVariable) {
  const ScopedEnv batch("SPECTRA_BRIDGE__INGEST__BATCH_ROWS", "many");
  const auto result = run_binary({"config", "check"}, cwd());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("SPECTRA_BRIDGE__INGEST__BATCH_ROWS"), std::string::npos) << result.err;
}

TEST_F(CliTest, ConfigCheckRefusesLiteralSecretsWithoutPrintingThem) {
  std::optional<std::string> secret_key;
  for (const auto& spec : app::all_config_keys()) {
    if (spec.type == core::KeyType::kSecret) secret_key = spec.path;
  }
  if (!secret_key) GTEST_SKIP() << "no secret configuration key exists yet";
  const std::string literal = "literal-secret-value-that-must-not-be-printed";
  write_file(cwd() / "secret.toml", std::string(*secret_key) + " = \"" + literal + "\"\n");
  const auto result = run_binary({"config", "check", "secret.toml"}, cwd());
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("must be a secret reference"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find(literal), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find(literal), std::string::npos) << result.err;

  write_file(cwd() / "reference.toml", std::string(*secret_key) + " = \"env:SB_TEST_SECRET\"\n");
  const auto reference = run_binary({"config", "check", "reference.toml"}, cwd());
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_NE(reference.out.find("env:SB_TEST_SECRET"), std::string::npos) << reference.out;
}

//! Starts `ingest` (watching), drops a report, waits for it in done/, then stops the process with `sig`.
void expect_graceful_stop(const fs::path& cwd, int sig) {
  const fs::path inbox = cwd / "spectra-bridge-data" / "inbox" / "detect";
  Spawned ingest({"ingest"}, cwd);
  ASSERT_TRUE(ingest.started());
  ASSERT_TRUE(eventually([&] { return fs::is_directory(inbox / "done"); }, 5s)) << ingest.err();
  const fs::path temp = inbox / "arriving.json.tmp";
  write_file(temp, read_text(sample(kNestedSample)));
  fs::rename(temp, inbox / "arriving.json");
  ASSERT_TRUE(eventually([&] { return fs::exists(inbox / "done" / "arriving.json"); }, 5s))
      << "report not ingested while watching; stderr: " << ingest.err();
  EXPECT_FALSE(ingest.wait_for_exit(0ms).has_value()) << "ingest without --once exited on its own";

  ingest.signal(sig);
  const auto code = ingest.wait_for_exit(5s);
  ASSERT_TRUE(code.has_value()) << "ingest did not stop within 5 s of the signal";
  EXPECT_EQ(*code, 0) << ingest.err();
  EXPECT_EQ(store_rows(cwd / "spectra-bridge-data" / "store.db"), 1);
}

TEST_F(CliTest, IngestStopsGracefullyOnSigtermWithExitCodeZero) {
  expect_graceful_stop(cwd(), SIGTERM);
}

TEST_F(CliTest, SigtermInTheMiddleOfABacklogCommitsWhatWasAcknowledgedAndLosesNothing) {
  constexpr int kFiles = 1000;
  write_file(cwd() / "spectra-bridge.toml", "[ingest]\nbatch_rows = 1\nflush_interval_ms = 1\n");
  const std::string nested = read_text(sample(kNestedSample));
  for (int i = 0; i < kFiles; ++i) {
    // A distinct task id per file, so every file adds its own row.
    std::string text = nested;
    text.replace(text.find("\"task_id\": 15794"), std::string_view("\"task_id\": 15794").size(),
                 "\"task_id\": " + std::to_string(100000 + i));
    drop_file("report-" + std::to_string(i) + ".json", text);
  }
  Spawned ingest({"ingest"}, cwd());
  ASSERT_TRUE(ingest.started());
  ASSERT_TRUE(eventually([&] { return names_in(inbox() / "done").size() >= 5; }, 5s)) << ingest.err();
  ingest.signal(SIGTERM);
  const auto code = ingest.wait_for_exit(4s);
  ASSERT_TRUE(code.has_value()) << "ingest did not stop within 4 s of SIGTERM";
  EXPECT_EQ(*code, 0) << ingest.err();

  const auto done = names_in(inbox() / "done").size();
  const auto left = names_in(inbox()).size();
  EXPECT_EQ(done + left, static_cast<size_t>(kFiles)) << "files lost";
  EXPECT_TRUE(names_in(inbox() / "failed").empty());
  EXPECT_EQ(store_rows(store()), static_cast<int64_t>(done)) << "a file in done/ without its row, or rows lost";
}

TEST_F(CliTest, IngestStopsGracefullyOnSigintWithExitCodeZero) {
  expect_graceful_stop(cwd(), SIGINT);
}

}  // namespace
}  // namespace sb::test
