// Test helpers: sample location, temp folders, and a subprocess runner that captures stdout/stderr.
#include "support/test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

namespace sb::test {
namespace fs = std::filesystem;

fs::path samples_dir() {
  return fs::path(SB_SAMPLES_DIR);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("sb-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

int64_t query_int(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t value = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db);
  return value;
}

std::string defender_message(const std::string& alert_id, const std::string& sha1) {
  return R"({"records":[{"time":"2026-11-23T10:00:00Z","category":"AdvancedHunting-AlertInfo","properties":{"AlertId":")" +
         alert_id +
         R"(","Title":"Suspicious file","Severity":"High","Category":"Malware","DetectionSource":"Antivirus"}},)"
         R"({"time":"2026-11-23T10:00:00Z","category":"AdvancedHunting-AlertEvidence","properties":{"AlertId":")" +
         alert_id + R"(","EntityType":"File","EvidenceRole":"Impacted","SHA1":")" + sha1 +
         R"(","FileName":"invoice.exe","FolderPath":"C:\\Users\\a\\Downloads","DeviceName":"pc-1"}}]})";
}

namespace {

//! Forks and runs the binary with `args` in `cwd`, stdin/stdout/stderr from/to the files in `io`.
pid_t spawn_binary(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& io) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    const int in = ::open((io / "stdin").c_str(), O_RDONLY | O_CREAT, 0644);
    const int out = ::open((io / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open((io / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    std::string binary = SB_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

CommandResult collect(int status, const fs::path& io) {
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(io / "stdout");
  result.err = read_text(io / "stderr");
  return result;
}

}  // namespace

CommandResult run_binary(const std::vector<std::string>& args, const fs::path& cwd, const std::string& stdin_text) {
  TempDir io;
  std::ofstream(io.path() / "stdin", std::ios::binary) << stdin_text;
  const pid_t pid = spawn_binary(args, cwd, io.path());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return collect(status, io.path());
}

RunningBinary::RunningBinary(const std::vector<std::string>& args, const fs::path& cwd) {
  std::ofstream(io_.path() / "stdin", std::ios::binary).flush();
  pid_ = spawn_binary(args, cwd, io_.path());
}

RunningBinary::~RunningBinary() {
  if (!result_) wait(std::chrono::milliseconds(0));
}

void RunningBinary::signal(int number) {
  if (!result_ && pid_ > 0) ::kill(pid_, number);
}

CommandResult RunningBinary::wait(std::chrono::milliseconds timeout) {
  if (result_) return *result_;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result_ = collect(status, io_.path());
  return *result_;
}

std::string RunningBinary::err() const {
  return read_text(io_.path() / "stderr");
}

}  // namespace sb::test
