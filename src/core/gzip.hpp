// gzip compression of whole buffers (libdeflate): request bodies are built whole, so no streaming is needed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct libdeflate_compressor;

namespace sb::core {

//! One compressor holds its working memory (about 1 MB at high levels); keep one per thread, it is not
//! thread-safe.
class GzipCompressor {
 public:
  //! `level` 0 (store) to 12 (libdeflate's slowest); 1 compresses JSON to about a fifth at several hundred MB/s.
  explicit GzipCompressor(int level);
  ~GzipCompressor();
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  //! The gzip member of `input`, in the compressor's own buffer: valid until the next compress().
  std::string_view compress(std::string_view input);

 private:
  libdeflate_compressor* compressor_;
  std::string buffer_;  // grown to the compress bound and kept, so it is zero-filled once, not per call
};

}  // namespace sb::core
