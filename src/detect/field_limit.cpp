// Cells are cut only when over the limit, which almost no cell is: the common path is one size comparison.
#include "detect/field_limit.hpp"

#include <simdjson.h>

#include <cassert>
#include <string>

#include "core/json_writer.hpp"
#include "core/utf8.hpp"

namespace sb::detect {
namespace {

// An escaped JSON string is at most 6 bytes per input byte (\u00XX) plus its quotes.
constexpr size_t kMaxEscapeGrowth = 6;
[[maybe_unused]] constexpr size_t kMinLimit = 256;  // checked by an assert only

size_t json_string_size(std::string_view text) {
  std::string quoted;
  core::append_json_string(quoted, text);
  return quoted.size();
}

std::string kept_note(size_t kept_bytes, size_t total_bytes) {
  return "kept " + std::to_string(kept_bytes) + " of " + std::to_string(total_bytes) + " bytes";
}

//! The longest prefix of `text` whose quoted form plus `reserve` fits in `max_bytes`.
std::string_view fitting_prefix(std::string_view text, size_t max_bytes, size_t reserve) {
  size_t length = std::min(text.size(), max_bytes - reserve);
  while (true) {
    length = core::utf8_boundary_before(text, length);
    const auto prefix = text.substr(0, length);
    const size_t size = json_string_size(prefix);
    if (size + reserve <= max_bytes || length == 0) return prefix;
    // Escapes made it longer than its raw length: shrink by the excess and look again.
    length -= std::min(length, size + reserve - max_bytes);
  }
}

Cell truncated_string(std::string_view text, size_t original_json_bytes, size_t max_bytes) {
  const std::string note = "…[truncated by spectra-bridge: " + kept_note(0, original_json_bytes) + "]";
  // The note's length grows by at most the digits of the kept size; reserve for the longest.
  const size_t reserve = json_string_size(note) + std::to_string(max_bytes).size();
  const auto prefix = fitting_prefix(text, max_bytes, reserve);
  std::string value(prefix);
  value += "…[truncated by spectra-bridge: " + kept_note(prefix.size(), text.size()) + "]";
  return Cell::of_string(std::move(value));
}

//! Leading elements (or members) of an array (or object) that fit, then the note.
std::string truncated_container(simdjson::dom::element container, size_t original_bytes, size_t max_bytes) {
  size_t total = 0;
  std::vector<std::string> items;
  simdjson::dom::array array;
  simdjson::dom::object object;
  const bool is_array = container.get_array().get(array) == simdjson::SUCCESS;
  if (is_array) {
    for (auto element : array) items.push_back(simdjson::minify(element));
  } else if (container.get_object().get(object) == simdjson::SUCCESS) {
    for (auto field : object) {
      std::string item;
      core::append_json_string(item, field.key);
      item.push_back(':');
      item += simdjson::minify(field.value);
      items.push_back(std::move(item));
    }
  }
  total = items.size();
  // Room for the note with the largest numbers it can hold.
  const std::string longest_note = std::string(is_array ? "" : "\"spectra_bridge_truncated\":") + "\"[truncated by " +
                                   "spectra-bridge: kept " + std::to_string(total) + " of " + std::to_string(total) +
                                   " elements, " + kept_note(original_bytes, original_bytes) + "]\"";
  const size_t budget = max_bytes - longest_note.size() - 3;  // brackets and the comma before the note
  std::string out(1, is_array ? '[' : '{');
  size_t kept = 0;
  for (const auto& item : items) {
    if (out.size() + item.size() + 1 > budget) break;
    if (kept > 0) out.push_back(',');
    out += item;
    ++kept;
  }
  if (kept > 0) out.push_back(',');
  if (!is_array) out += "\"spectra_bridge_truncated\":";
  core::append_json_string(out, "[truncated by spectra-bridge: kept " + std::to_string(kept) + " of " +
                                    std::to_string(total) + (is_array ? " elements, " : " members, ") +
                                    kept_note(out.size(), original_bytes) + "]");
  out.push_back(is_array ? ']' : '}');
  return out;
}

}  // namespace

std::optional<Cell> cut_to_limit(const Cell& cell, size_t max_bytes) {
  assert(max_bytes >= kMinLimit);
  switch (cell.kind) {
    case Cell::Kind::kNull:
    case Cell::Kind::kInt: return std::nullopt;
    case Cell::Kind::kString: {
      if (cell.text.size() * kMaxEscapeGrowth + 2 <= max_bytes) return std::nullopt;
      const size_t size = json_string_size(cell.text);
      if (size <= max_bytes) return std::nullopt;
      return truncated_string(cell.text, size, max_bytes);
    }
    case Cell::Kind::kJson: {
      if (cell.text.size() <= max_bytes) return std::nullopt;
      simdjson::dom::parser parser;
      simdjson::dom::element value;
      if (parser.parse(cell.text).get(value) != simdjson::SUCCESS) {
        // Cells are built from parsed JSON, so this cannot happen; keep the text as a cut string regardless.
        return truncated_string(cell.text, cell.text.size(), max_bytes);
      }
      const auto type = value.type();
      if (type == simdjson::dom::element_type::ARRAY || type == simdjson::dom::element_type::OBJECT) {
        return Cell::of_json(truncated_container(value, cell.text.size(), max_bytes));
      }
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) text = cell.text;
      return truncated_string(text, cell.text.size(), max_bytes);
    }
  }
  return std::nullopt;
}

}  // namespace sb::detect
