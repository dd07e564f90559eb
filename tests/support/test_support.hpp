// Helpers shared by tests: sample paths, temporary folders, running the binary.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sb::test {

std::filesystem::path samples_dir();
std::string read_text(const std::filesystem::path& path);
//! Writes `content` to `path` (replacing it), creating the parent folders.
void write_file(const std::filesystem::path& path, const std::string& content);

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

}  // namespace sb::test
