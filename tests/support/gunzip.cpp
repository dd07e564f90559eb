// inflate with windowBits 16 + 15 reads gzip members and checks each one's CRC and length.
#include "support/gunzip.hpp"

#include <zlib.h>

#include <array>

namespace sb::test {
namespace {

constexpr int kGzipWindow = 16 + MAX_WBITS;
constexpr size_t kChunk = 64 * 1024;

}  // namespace

std::optional<std::string> gunzip(std::string_view gzip, size_t max_output) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindow) != Z_OK) return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream.avail_in = static_cast<uInt>(gzip.size());
  std::string out;
  std::array<char, kChunk> chunk{};
  bool valid = true;
  while (out.size() <= max_output) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    const int status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      if (inflateReset(&stream) != Z_OK) {
        valid = false;
        break;
      }
      continue;
    }
    // Z_BUF_ERROR here means the input ran out before the end of the stream: truncated.
    if (status != Z_OK) {
      valid = false;
      break;
    }
  }
  inflateEnd(&stream);
  if (!valid) return std::nullopt;
  return out;
}

}  // namespace sb::test
