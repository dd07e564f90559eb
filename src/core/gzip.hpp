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

  //! Writes the gzip member of `input` into `out` (replacing its content).
  void compress(std::string_view input, std::string& out);

 private:
  libdeflate_compressor* compressor_;
};

}  // namespace sb::core
