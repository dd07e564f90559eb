// stderr redirected to a tmpfile with dup2; fflush on both ends so nothing buffered is lost or misplaced.
#include "support/captured_stderr.hpp"

#include <unistd.h>

namespace sb::test {

CapturedStderr::CapturedStderr() {
  std::fflush(stderr);
  saved_level_ = core::log_level();
  core::set_log_level(core::LogLevel::kDebug);
  file_ = std::tmpfile();
  saved_fd_ = ::dup(STDERR_FILENO);
  if (file_ != nullptr && saved_fd_ >= 0) ::dup2(::fileno(file_), STDERR_FILENO);
}

CapturedStderr::~CapturedStderr() {
  (void)finish();
}

std::string CapturedStderr::finish() {
  if (file_ == nullptr) return text_;
  std::fflush(stderr);
  if (saved_fd_ >= 0) {
    ::dup2(saved_fd_, STDERR_FILENO);
    ::close(saved_fd_);
    saved_fd_ = -1;
  }
  core::set_log_level(saved_level_);
  std::rewind(file_);
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) text_.append(buffer, n);
  std::fclose(file_);
  file_ = nullptr;
  return text_;
}

}  // namespace sb::test
