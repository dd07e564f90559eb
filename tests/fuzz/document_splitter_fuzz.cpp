// libFuzzer target: any bytes, fed in pieces whose sizes come from the input, through the stdin splitter.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sources/document_splitter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  sb::sources::DocumentSplitter splitter(1024);
  for (size_t pos = 0; pos < text.size(); pos += chunk) splitter.feed(text.substr(pos, chunk));
  splitter.finish();
  size_t total = 0;
  while (auto doc = splitter.take()) total += doc->size;
  // Every byte outside whitespace belongs to exactly one document.
  if (total > text.size()) __builtin_trap();
  return 0;
}
