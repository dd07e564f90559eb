// Streaming API records → alerts. Dispatch is on `category`; unknown keys and tables are ignored.
#include "defender/streaming_message.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/json_document.hpp"
#include "defender/file_hash.hpp"

namespace sb::defender {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kEvidenceCategory = "AdvancedHunting-AlertEvidence";
constexpr std::string_view kInfoCategory = "AdvancedHunting-AlertInfo";

//! A string property; null, absent and non-strings read as "".
std::string text_of(object properties, std::string_view key) {
  std::string_view text;
  if (properties[key].get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

class AlertCollector {
 public:
  explicit AlertCollector(simdjson::dom::parser& additional_fields_parser)
      : additional_fields_parser_(additional_fields_parser) {}

  //! Adds one record; returns the reason when it must be rejected.
  std::optional<std::string> add(element record) {
    object fields;
    if (record.get_object().get(fields) != simdjson::SUCCESS) return std::string("the record is not an object");
    std::string_view category;
    if (fields["category"].get_string().get(category) != simdjson::SUCCESS) return std::string("no category");
    const bool evidence = category == kEvidenceCategory;
    if (!evidence && category != kInfoCategory) {
      ++out_.other_records;
      return std::nullopt;
    }
    object properties;
    if (fields["properties"].get_object().get(properties) != simdjson::SUCCESS) {
      return std::string("properties is missing or not an object");
    }
    std::string_view alert_id;
    if (properties["AlertId"].get_string().get(alert_id) != simdjson::SUCCESS || alert_id.empty()) {
      return std::string("AlertId is missing or not a string");
    }
    if (evidence) {
      ++out_.evidence_records;
      return add_evidence(alert(alert_id), properties);
    }
    ++out_.info_records;
    add_info(alert(alert_id), properties);
    return std::nullopt;
  }

  ParsedMessage& result() { return out_; }

 private:
  Alert& alert(std::string_view id) {
    const auto [it, inserted] = index_.try_emplace(std::string(id), out_.alerts.size());
    if (inserted) out_.alerts.push_back(Alert{std::string(id), {}, {}, {}, {}, {}, false, {}});
    return out_.alerts[it->second];
  }

  static void add_info(Alert& alert, object properties) {
    alert.title = text_of(properties, "Title");
    alert.severity = text_of(properties, "Severity");
    alert.category = text_of(properties, "Category");
    alert.detection_source = text_of(properties, "DetectionSource");
    alert.service_source = text_of(properties, "ServiceSource");
    alert.has_info = true;
  }

  //! Reads one hash property; a present but malformed value rejects the record.
  static std::optional<std::string> read_hash(const std::string& raw, HashType type, std::string_view name,
                                              std::string& out) {
    if (raw.empty()) return std::nullopt;
    auto hash = normalize_hash(type, raw);
    if (!hash) return fmt::format("{} \"{}\" {}", name, raw, hash.error().message);
    out = std::move(hash).value();
    return std::nullopt;
  }

  //! AdditionalFields is a JSON object inside a string; some producers put an MD5 there.
  std::string md5_from_additional_fields(object properties) {
    std::string_view text;
    if (properties["AdditionalFields"].get_string().get(text) != simdjson::SUCCESS || text.empty()) return {};
    object additional;
    if (additional_fields_parser_.parse(std::string(text)).get_object().get(additional) != simdjson::SUCCESS) return {};
    for (const auto field : additional) {
      std::string_view value;
      if (iequals(field.key, "MD5") && field.value.get_string().get(value) == simdjson::SUCCESS) {
        return std::string(value);
      }
    }
    return {};
  }

  std::optional<std::string> add_evidence(Alert& alert, object properties) {
    FileEvidence file;
    if (auto reason = read_hash(text_of(properties, "SHA1"), HashType::kSha1, "SHA1", file.sha1)) return reason;
    if (auto reason = read_hash(text_of(properties, "SHA256"), HashType::kSha256, "SHA256", file.sha256)) return reason;
    std::string md5 = text_of(properties, "MD5");
    if (md5.empty()) md5 = md5_from_additional_fields(properties);
    if (auto reason = read_hash(md5, HashType::kMd5, "MD5", file.md5)) return reason;
    // Machine, User, Ip … rows name no file; a row of any type that carries a hash does.
    if (file.sha1.empty() && file.sha256.empty() && file.md5.empty()) return std::nullopt;
    file.file_name = text_of(properties, "FileName");
    file.folder_path = text_of(properties, "FolderPath");
    file.device_name = text_of(properties, "DeviceName");
    file.evidence_role = text_of(properties, "EvidenceRole");
    file.entity_type = text_of(properties, "EntityType");
    merge(alert, std::move(file));
    return std::nullopt;
  }

  //! The same file often appears twice (as File and as the Process image): keep one, fill its gaps.
  static void merge(Alert& alert, FileEvidence file) {
    for (auto& known : alert.files) {
      const bool same = (!file.sha1.empty() && file.sha1 == known.sha1) ||
                        (!file.sha256.empty() && file.sha256 == known.sha256) ||
                        (!file.md5.empty() && file.md5 == known.md5);
      if (!same) continue;
      for (auto [mine, theirs] :
           {std::pair{&known.sha1, &file.sha1}, std::pair{&known.sha256, &file.sha256},
            std::pair{&known.md5, &file.md5}, std::pair{&known.file_name, &file.file_name},
            std::pair{&known.folder_path, &file.folder_path}, std::pair{&known.device_name, &file.device_name},
            std::pair{&known.evidence_role, &file.evidence_role}}) {
        if (mine->empty()) *mine = std::move(*theirs);
      }
      return;
    }
    alert.files.push_back(std::move(file));
  }

  simdjson::dom::parser& additional_fields_parser_;
  ParsedMessage out_;
  std::unordered_map<std::string, size_t> index_;
};

std::string_view type_name(element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    default: return "a number";
  }
}

}  // namespace

namespace {

//! Adds one JSON document (an envelope, a bare record, or an array of records) to `collector`. `where` prefixes
//! the location of a bad record ("line 3 " in NDJSON). Returns why the document as a whole is unusable.
std::optional<std::string> add_document(element root, AlertCollector& collector, const std::string& where) {
  simdjson::dom::array records;
  if (object envelope; root.get_object().get(envelope) == simdjson::SUCCESS) {
    element wrapped;
    if (envelope["records"].get(wrapped) == simdjson::SUCCESS) {
      if (wrapped.get_array().get(records) != simdjson::SUCCESS) {
        return fmt::format("records is {}, expected an array", type_name(wrapped));
      }
    } else if (envelope["category"].error() == simdjson::SUCCESS) {
      if (auto reason = collector.add(root)) {
        const std::string label = where.empty() ? "record" : where.substr(0, where.size() - 1);
        collector.result().rejected.push_back(
            {label, fmt::format("{}: {}", label, *reason), simdjson::to_string(root)});
      }
      return std::nullopt;
    } else {
      return "not a Defender streaming message: no records array and no category";
    }
  } else if (root.get_array().get(records) != simdjson::SUCCESS) {
    return fmt::format("not a Defender streaming message: the value is {}", type_name(root));
  }
  size_t index = 0;
  for (const element record : records) {
    if (auto reason = collector.add(record)) {
      const std::string label = fmt::format("{}records[{}]", where, index);
      collector.result().rejected.push_back(
          {label, fmt::format("{}: {}", label, *reason), simdjson::to_string(record)});
    }
    ++index;
  }
  return std::nullopt;
}

//! The non-empty lines of `bytes` with their 1-based numbers.
std::vector<std::pair<size_t, std::string_view>> lines_of(std::string_view bytes) {
  std::vector<std::pair<size_t, std::string_view>> lines;
  size_t number = 0;
  while (!bytes.empty()) {
    ++number;
    const auto end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    if (!line.empty()) lines.emplace_back(number, line);
  }
  return lines;
}

}  // namespace

struct StreamingMessageParser::Buffers {
  simdjson::dom::parser parser;
  simdjson::dom::parser additional_fields_parser;  // AdditionalFields is JSON inside a string
};

StreamingMessageParser::StreamingMessageParser() : buffers_(std::make_unique<Buffers>()) {}
StreamingMessageParser::~StreamingMessageParser() = default;
StreamingMessageParser::StreamingMessageParser(StreamingMessageParser&&) noexcept = default;
StreamingMessageParser& StreamingMessageParser::operator=(StreamingMessageParser&&) noexcept = default;

core::Result<ParsedMessage> StreamingMessageParser::parse(const std::string& bytes) {
  auto& parser = buffers_->parser;
  AlertCollector collector(buffers_->additional_fields_parser);
  auto root = core::parse_json(parser, bytes);
  if (root) {
    if (auto reason = add_document(*root, collector, "")) return core::make_error(*reason, core::ErrorKind::kBadInput);
    return std::move(collector.result());
  }
  // NDJSON (one message or record per line, as storage exports write them): only when the first line is a
  // complete document on its own, so a broken pretty-printed message keeps its single, precise error.
  const auto lines = lines_of(bytes);
  if (lines.size() < 2) return root.error();
  std::string line_bytes;
  for (const auto& [number, line] : lines) {
    line_bytes.assign(line);
    auto document = core::parse_json(parser, line_bytes);
    if (!document && number == lines.front().first) return root.error();
    const std::string where = fmt::format("line {} ", number);
    std::optional<std::string> reason;
    if (!document) {
      reason = document.error().message;
    } else {
      reason = add_document(*document, collector, where);
    }
    if (reason) {
      const std::string label = where.substr(0, where.size() - 1);
      collector.result().rejected.push_back({label, fmt::format("{}: {}", label, *reason), line_bytes});
    }
  }
  return std::move(collector.result());
}

}  // namespace sb::defender
