// NDJSON output: one buffer per batch, written with few syscalls, fdatasync on flush.
#include "outputs/ndjson_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/log.hpp"

namespace sb::outputs {
namespace {
constexpr size_t kWriteThreshold = 1 << 20;  // write out every MiB
}

core::Result<std::unique_ptr<NdjsonFile>> NdjsonFile::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<NdjsonFile>(new NdjsonFile(STDOUT_FILENO, false, "stdout"));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return core::make_error(fmt::format("cannot open NDJSON output {}: {}", path, std::strerror(errno)));
  return std::unique_ptr<NdjsonFile>(new NdjsonFile(fd, true, path));
}

NdjsonFile::~NdjsonFile() {
  // A batch that never committed is dropped, like a rolled-back transaction.
  if (batch_open_) discard();
  if (owned_) ::close(fd_);
}

std::string& NdjsonFile::buffer() {
  if (!batch_open_) {
    batch_open_ = true;
    batch_start_ = owned_ ? ::lseek(fd_, 0, SEEK_END) : 0;
  }
  return buffer_;
}

core::Status NdjsonFile::wrote() {
  if (buffer_.size() >= kWriteThreshold) return write_out();
  return {};
}

void NdjsonFile::discard() {
  buffer_.clear();
  // The file belongs to this process (one writer), so cutting it back undoes exactly this batch.
  if (batch_open_ && owned_ && batch_start_ >= 0 && ::ftruncate(fd_, batch_start_) != 0) {
    core::log_error("cannot cut NDJSON output back after a failed batch; lines may repeat",
                    {{"file", path_}, {"reason", std::strerror(errno)}});
  }
  batch_open_ = false;
}

core::Status NdjsonFile::flush() {
  if (auto status = write_out(); !status) return status;
  if (owned_ && ::fdatasync(fd_) != 0 && errno != EINVAL) {
    return core::make_error(fmt::format("cannot sync {}: {}", path_, std::strerror(errno)));
  }
  return {};
}

core::Status NdjsonFile::write_out() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const auto n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const auto error = core::make_error(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
      buffer_.clear();
      return error;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return {};
}

}  // namespace sb::outputs
