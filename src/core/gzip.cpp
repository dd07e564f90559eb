// libdeflate's gzip: the output buffer is sized to the compress bound, so compression cannot run out of room.
#include "core/gzip.hpp"

#include <libdeflate.h>

#include <new>

namespace sb::core {

GzipCompressor::GzipCompressor(int level) : compressor_(libdeflate_alloc_compressor(level)) {
  if (compressor_ == nullptr) throw std::bad_alloc();  // only on out of memory (the level is a constant)
}

GzipCompressor::~GzipCompressor() {
  libdeflate_free_compressor(compressor_);
}

void GzipCompressor::compress(std::string_view input, std::string& out) {
  out.resize(libdeflate_gzip_compress_bound(compressor_, input.size()));
  const size_t written = libdeflate_gzip_compress(compressor_, input.data(), input.size(), out.data(), out.size());
  out.resize(written);
}

}  // namespace sb::core
