// Captures stderr (core/log's destination, and libcurl's) at debug level, so tests can assert that no credential
// ever reaches a log line.
#pragma once

#include <cstdio>
#include <string>

#include "core/log.hpp"

namespace sb::test {

//! Points stderr at a temporary file and raises the log level to debug while alive. Not for concurrent use by
//! several tests.
class CapturedStderr {
 public:
  CapturedStderr();
  ~CapturedStderr();
  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  //! Restores stderr and the log level, then returns everything captured (later calls return the same).
  std::string finish();

 private:
  int saved_fd_ = -1;
  std::FILE* file_ = nullptr;
  core::LogLevel saved_level_ = core::LogLevel::kInfo;
  std::string text_;
};

}  // namespace sb::test
