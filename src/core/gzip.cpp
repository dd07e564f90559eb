// libdeflate's gzip: the buffer is at least the compress bound, so compression cannot run out of room.
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

std::string_view GzipCompressor::compress(std::string_view input) {
  const size_t bound = libdeflate_gzip_compress_bound(compressor_, input.size());
  if (buffer_.size() < bound) buffer_.resize(bound);
  const size_t written =
      libdeflate_gzip_compress(compressor_, input.data(), input.size(), buffer_.data(), buffer_.size());
  return {buffer_.data(), written};
}

}  // namespace sb::core
