// libFuzzer target: any bytes as an Entra token reply or error body, and as a cell cut to the Logs Ingestion field
// limit (the cut must stay within the limit and, for JSON, stay valid JSON).
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "azure/token_response.hpp"
#include "core/json_writer.hpp"
#include "detect/field_limit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)sb::azure::parse_token_response(body, std::chrono::system_clock::now());
  (void)sb::azure::describe_token_error(400, body);

  constexpr size_t kLimit = 256;
  static simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(body).get(element) == simdjson::SUCCESS) {
    if (const auto cell = sb::detect::cut_to_limit(sb::detect::Cell::of_json(simdjson::minify(element)), kLimit)) {
      std::string json = cell->text;
      if (cell->kind == sb::detect::Cell::Kind::kString) {
        json.clear();
        sb::core::append_json_string(json, cell->text);
      }
      simdjson::dom::element cut;
      if (json.size() > kLimit || parser.parse(json).get(cut) != simdjson::SUCCESS) std::abort();
    }
  }
  return 0;
}
