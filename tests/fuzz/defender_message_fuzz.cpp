// libFuzzer target: any bytes through the Defender streaming-message parser, then enrichment and its JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "defender/enrichment.hpp"
#include "defender/enrichment_json.hpp"
#include "defender/streaming_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static sb::defender::StreamingMessageParser parser;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = parser.parse(bytes);
  if (parsed.ok()) {
    sb::defender::CommentOptions options;
    options.max_chars = 300;
    for (const auto& alert : parsed->alerts) {
      const auto enrichment = sb::defender::build_enrichment(alert, {}, options);
      (void)sb::defender::enrichment_json(enrichment, "2026-01-01T00:00:00.000Z");
    }
  }
  return 0;
}
