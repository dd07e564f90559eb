// Error path only: the DOM parser says *what* failed, a second, slower walk finds *where*.
#include "core/json_document.hpp"

#include <fmt/format.h>

#include <optional>

#include "core/utf8.hpp"

namespace sb::core {
namespace {

constexpr size_t kMaxWalkDepth = 1024;

std::string_view reason_for(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::DEPTH_ERROR: return "JSON nested deeper than 1024 levels";
    case simdjson::EMPTY: return "empty input: no JSON document";
    case simdjson::CAPACITY: return "input too large for the parser";
    case simdjson::UNCLOSED_STRING: return "truncated JSON: a string is not closed";
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "invalid or truncated JSON";
    default: return "invalid JSON";
  }
}

//! Walks every value with the On-Demand API, which validates lazily and can report its position.
simdjson::error_code walk(simdjson::ondemand::value value, size_t depth) {
  if (depth > kMaxWalkDepth) return simdjson::DEPTH_ERROR;
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      for (auto field : object) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        simdjson::ondemand::value child;
        if (auto error = field.value().get(child)) return error;
        if (auto error = walk(child, depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        simdjson::ondemand::value child;
        if (auto error = element.get(child)) return error;
        if (auto error = walk(child, depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      return value.get_string().get(text);
    }
    case simdjson::ondemand::json_type::number: {
      simdjson::ondemand::number number;
      return value.get_number().get(number);
    }
    case simdjson::ondemand::json_type::boolean: {
      bool flag = false;
      return value.get_bool().get(flag);
    }
    case simdjson::ondemand::json_type::null: return value.is_null().error();
  }
  return simdjson::SUCCESS;
}

std::optional<size_t> locate_syntax_error(std::string_view bytes) {
  const simdjson::padded_string padded(bytes);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return std::nullopt;
  simdjson::ondemand::value root;
  auto error = doc.get_value().get(root);
  if (!error) error = walk(root, 0);
  const char* location = nullptr;
  // A clean walk means the document parsed; what follows it (if anything) is the trailing content.
  // Past the walker's depth limit the position says nothing about where the input is broken.
  if (error == simdjson::DEPTH_ERROR) return std::nullopt;
  if (!error) {
    if (doc.current_location().get(location) == simdjson::SUCCESS && location != nullptr) {
      return static_cast<size_t>(location - padded.data());
    }
    return std::nullopt;
  }
  if (doc.current_location().get(location) != simdjson::SUCCESS || location == nullptr) return bytes.size();
  return static_cast<size_t>(location - padded.data());
}

}  // namespace

Error describe_json_error(std::string_view bytes, simdjson::error_code error) {
  std::optional<size_t> offset;
  if (error == simdjson::UTF8_ERROR) {
    offset = first_invalid_utf8(bytes);
  } else if (error != simdjson::DEPTH_ERROR && error != simdjson::EMPTY && error != simdjson::CAPACITY) {
    offset = locate_syntax_error(bytes);
  }
  std::string message =
      offset ? fmt::format("{} at byte {}", reason_for(error), *offset) : std::string(reason_for(error));
  return Error{std::move(message), offset, ErrorKind::kBadInput};
}

Result<simdjson::dom::element> parse_json(simdjson::dom::parser& parser, const std::string& bytes) {
  simdjson::dom::element root;
  if (const auto error = parser.parse(bytes).get(root); error != simdjson::SUCCESS) {
    return describe_json_error(bytes, error);
  }
  return root;
}

}  // namespace sb::core
