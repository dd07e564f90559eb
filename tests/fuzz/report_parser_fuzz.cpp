// libFuzzer target: any bytes through the report parser (nested and flat view) and row serialisation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "detect/report_parser.hpp"
#include "detect/row_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static sb::detect::ReportParser parser;
  std::string bytes;
  bytes.reserve(size + sb::detect::kParserPadding);
  bytes.assign(reinterpret_cast<const char*>(data), size);
  auto parsed = parser.parse(bytes, "2026-01-01T00:00:00.000Z");
  if (parsed.ok()) {
    std::string out;
    for (const auto& row : parsed->rows) sb::detect::append_row_json(out, row);
  }
  return 0;
}
