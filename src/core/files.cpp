// File-system helpers: POSIX calls where atomicity matters, std::filesystem elsewhere.
#include "core/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace sb::core {
namespace fs = std::filesystem;

namespace {

std::string errno_text() {
  return std::strerror(errno);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

//! Makes a rename or link in `folder` durable (best effort: some file systems refuse fsync on folders).
void sync_folder(const fs::path& folder) {
  Fd fd(::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

}  // namespace

Result<std::string> read_file_bounded(const fs::path& path, size_t max_bytes, size_t padding) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return make_error(fmt::format("cannot open {}: {}", path.string(), errno_text()));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(fmt::format("cannot stat {}: {}", path.string(), errno_text()));
  if (!S_ISREG(st.st_mode)) return make_error(fmt::format("{} is not a regular file", path.string()));
  const auto size = static_cast<size_t>(st.st_size);
  if (size > max_bytes) {
    return make_error(fmt::format("file is {} bytes, over the limit of {} bytes (max_report_bytes)", size, max_bytes));
  }
  std::string content;
  content.reserve(size + padding);
  content.resize(size);
  size_t done = 0;
  while (done < size) {
    const auto n = ::read(fd.get(), content.data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(fmt::format("cannot read {}: {}", path.string(), errno_text()));
    }
    if (n == 0) break;  // Truncated while we read: parse what is there, the parser reports it.
    done += static_cast<size_t>(n);
  }
  content.resize(done);
  return content;
}

Status write_file_atomic(const fs::path& path, std::string_view content) {
  const fs::path temp = path.parent_path() / fmt::format(".{}.{}.tmp", path.filename().string(), ::getpid());
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) return make_error(fmt::format("cannot create {}: {}", temp.string(), errno_text()));
    size_t done = 0;
    while (done < content.size()) {
      const auto n = ::write(fd.get(), content.data() + done, content.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const auto error = make_error(fmt::format("cannot write {}: {}", temp.string(), errno_text()));
        ::unlink(temp.c_str());
        return error;
      }
      done += static_cast<size_t>(n);
    }
    // Durable before it becomes visible: a power loss must not leave an empty dead letter or sidecar.
    if (::fsync(fd.get()) != 0) {
      const auto error = make_error(fmt::format("cannot sync {}: {}", temp.string(), errno_text()));
      ::unlink(temp.c_str());
      return error;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const auto error =
        make_error(fmt::format("cannot rename {} to {}: {}", temp.string(), path.string(), errno_text()));
    ::unlink(temp.c_str());
    return error;
  }
  sync_folder(path.parent_path());
  return {};
}

// Both ways refuse an existing name; a plain rename would overwrite it.
int rename_no_replace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return -1;
  if (::link(from.c_str(), to.c_str()) != 0) return -1;
  ::unlink(from.c_str());
  return 0;
}

Result<fs::path> move_into_folder(const fs::path& from, const fs::path& folder) {
  const std::string name = from.filename().string();
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const fs::path target = folder / (attempt == 0 ? name : fmt::format("{}.{}", name, attempt));
    if (rename_no_replace(from, target) == 0) {
      sync_folder(folder);
      return target;
    }
    if (errno != EEXIST) {
      return make_error(fmt::format("cannot move {} to {}: {}", from.string(), folder.string(), errno_text()));
    }
  }
  return make_error(fmt::format("cannot move {} to {}: too many files with that name", from.string(), folder.string()));
}

Result<std::vector<std::string>> list_regular_files(const fs::path& folder) {
  struct CloseDir {
    void operator()(DIR* d) const { ::closedir(d); }
  };
  std::unique_ptr<DIR, CloseDir> dir(::opendir(folder.c_str()));
  if (!dir) return make_error(fmt::format("cannot list {}: {}", folder.string(), errno_text()));
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    // fstatat follows links, as reading the file will; a dangling or looping link is simply not a file.
    if (::fstatat(::dirfd(dir.get()), entry->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
    names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool is_folder(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status ensure_folder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return make_error(fmt::format("cannot create folder {}: {}", folder.string(), ec.message()));
  return {};
}

}  // namespace sb::core
