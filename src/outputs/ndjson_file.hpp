// An NDJSON output (a file appended to, or stdout) written in batches: flush() makes a batch durable and
// discard() cuts the file back to where the batch began. The NDJSON output writes through it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "core/result.hpp"

namespace sb::outputs {

class NdjsonFile {
 public:
  //! `path` "-" means stdout.
  static core::Result<std::unique_ptr<NdjsonFile>> open(const std::string& path);
  ~NdjsonFile();
  NdjsonFile(const NdjsonFile&) = delete;
  NdjsonFile& operator=(const NdjsonFile&) = delete;

  //! The batch buffer: append lines to it, then call wrote().
  std::string& buffer();
  //! Writes the buffer out once it is large, so a big batch does not pile up in memory.
  core::Status wrote();
  core::Status flush();
  //! Forgets the buffer and, for a file, cuts it back to where the batch began (stdout cannot be undone).
  void discard();
  void committed() { batch_open_ = false; }
  const std::string& path() const { return path_; }
  //! A file is cut back by discard(); stdout cannot take a line back.
  bool revertible() const { return owned_; }

 private:
  NdjsonFile(int fd, bool owned, std::string path) : fd_(fd), owned_(owned), path_(std::move(path)) {}
  core::Status write_out();

  int fd_;
  bool owned_;
  std::string path_;
  std::string buffer_;
  bool batch_open_ = false;
  off_t batch_start_ = 0;  // file size when the open batch began
};

}  // namespace sb::outputs
