// Helpers shared by tests: sample paths, temporary folders, running the binary.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sb::test {

std::filesystem::path samples_dir();
std::string read_text(const std::filesystem::path& path);
//! Writes `content` to `path` (replacing it), creating the parent folders.
void write_file(const std::filesystem::path& path, const std::string& content);

//! One Streaming API message (one line of JSON) with one alert, AlertInfo and AlertEvidence, whose file evidence
//! names `sha1`.
std::string defender_message(const std::string& alert_id, const std::string& sha1);

//! A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

//! Reads one integer out of an SQLite file (-1 when the file or table cannot be read).
int64_t query_int(const std::filesystem::path& db, const std::string& sql);

//! Result of running the spectra-bridge binary.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

//! Runs the built binary with `args` (working directory `cwd`, optional stdin text).
CommandResult run_binary(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         const std::string& stdin_text = {});

//! The built binary running in the background (a service), its output going to files.
class RunningBinary {
 public:
  RunningBinary(const std::vector<std::string>& args, const std::filesystem::path& cwd);
  //! Killed (SIGKILL) if still running.
  ~RunningBinary();
  RunningBinary(const RunningBinary&) = delete;
  RunningBinary& operator=(const RunningBinary&) = delete;

  void signal(int number);
  //! Waits up to `timeout` for it to exit, then kills it; the exit code is 128+signal when a signal ended it.
  CommandResult wait(std::chrono::milliseconds timeout);
  //! What it wrote to stderr so far.
  std::string err() const;

 private:
  pid_t pid_ = -1;
  TempDir io_;
  std::optional<CommandResult> result_;
};

//! Polls `condition` every 50 ms until it holds or `timeout` passes; returns its last value.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace sb::test
