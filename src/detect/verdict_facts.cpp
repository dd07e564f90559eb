// Lenient readers for report values: reports from different Spectra Detect versions type fields differently.
#include "detect/verdict_facts.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/text.hpp"

namespace sb::detect {
namespace {

bool double_to_int(double d, int64_t& out) {
  constexpr double kLimit = 9.2e18;  // just inside int64 range
  if (!std::isfinite(d) || d > kLimit || d < -kLimit) return false;
  out = static_cast<int64_t>(std::trunc(d));
  return true;
}

}  // namespace

IntRead read_integer(simdjson::dom::element value, int64_t& out) {
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE: return IntRead::kNull;
    case simdjson::dom::element_type::INT64: out = value.get_int64().value_unsafe(); return IntRead::kValue;
    case simdjson::dom::element_type::UINT64: {
      const uint64_t u = value.get_uint64().value_unsafe();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return IntRead::kInvalid;
      out = static_cast<int64_t>(u);
      return IntRead::kValue;
    }
    case simdjson::dom::element_type::DOUBLE:
      return double_to_int(value.get_double().value_unsafe(), out) ? IntRead::kValue : IntRead::kInvalid;
    case simdjson::dom::element_type::STRING: {
      const auto text = core::trim(value.get_string().value_unsafe());
      if (text.empty()) return IntRead::kNull;
      const auto end = text.data() + text.size();
      if (const auto res = std::from_chars(text.data(), end, out); res.ec == std::errc() && res.ptr == end) {
        return IntRead::kValue;
      }
      double d = 0;
      if (const auto res = std::from_chars(text.data(), end, d); res.ec == std::errc() && res.ptr == end) {
        return double_to_int(d, out) ? IntRead::kValue : IntRead::kInvalid;
      }
      return IntRead::kInvalid;
    }
    default: return IntRead::kInvalid;
  }
}

std::optional<int64_t> integer_or_null(simdjson::dom::element value) {
  int64_t out = 0;
  if (read_integer(value, out) == IntRead::kValue) return out;
  return std::nullopt;
}

std::string string_or_empty(simdjson::dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

void note_hash(RowFacts& facts, std::string_view name, simdjson::dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return;
  if (name == "sha1") {
    facts.sha1 = core::ascii_lower(text);
  } else if (name == "sha256") {
    facts.sha256 = core::ascii_lower(text);
  } else if (name == "md5") {
    facts.md5 = core::ascii_lower(text);
  }
}

void read_nested_facts(simdjson::dom::object entry, RowFacts& facts) {
  simdjson::dom::object file;
  if (entry.at_pointer("/info/file").get_object().get(file) == simdjson::SUCCESS) {
    if (simdjson::dom::element name; file["file_name"].get(name) == simdjson::SUCCESS) {
      facts.file_name = string_or_empty(name);
    }
    if (simdjson::dom::element type; file["file_type"].get(type) == simdjson::SUCCESS) {
      facts.file_type = string_or_empty(type);
    }
    if (simdjson::dom::array hashes; file["hashes"].get_array().get(hashes) == simdjson::SUCCESS) {
      for (const auto hash : hashes) {
        std::string_view name;
        simdjson::dom::element value;
        if (hash["name"].get_string().get(name) == simdjson::SUCCESS && hash["value"].get(value) == simdjson::SUCCESS) {
          note_hash(facts, name, value);
        }
      }
    }
  }
  simdjson::dom::object verdict;
  if (entry["classification"].get_object().get(verdict) != simdjson::SUCCESS) return;
  if (simdjson::dom::element code; verdict["classification"].get(code) == simdjson::SUCCESS) {
    facts.verdict = integer_or_null(code);
  }
  if (simdjson::dom::element result; verdict["result"].get(result) == simdjson::SUCCESS) {
    facts.threat_name = string_or_empty(result);
  }
  // Older reports carry no classification.result; the first scan result is the deciding one.
  if (facts.threat_name.empty()) {
    simdjson::dom::array scans;
    if (verdict["scan_results"].get_array().get(scans) == simdjson::SUCCESS && scans.size() > 0) {
      if (simdjson::dom::element result; scans.at(0)["result"].get(result) == simdjson::SUCCESS) {
        facts.threat_name = string_or_empty(result);
      }
    }
  }
}

}  // namespace sb::detect
