// Report → rows. The DOM parse validates the whole input (JSON syntax, UTF-8, depth) before any row is
// made, so a bad report is rejected whole and every emitted value is valid, compact JSON.
#include "detect/report_parser.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include "core/json_document.hpp"
#include "detect/flat_view.hpp"
#include "detect/record_id.hpp"
#include "detect/verdict_facts.hpp"

namespace sb::detect {
namespace {

using core::Error;
using core::Result;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr size_t kKeepParserCapacity = 64 * 1024 * 1024;

std::string_view type_name(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

//! Task metadata, read once per report and copied onto each of its rows.
struct TaskMetadata {
  Cell task_id;
  Cell submitted;
  Cell processed;
  Cell process_duration;
  Cell direct_sender;
  Cell worker_address;
  Cell worker_hostname;
  Cell worker_ip;
  Cell forwarded_for;
};

//! `where` is called only on error and returns the message prefix naming the entry.
template <typename WhereFn>
Result<Cell> int_cell(std::optional<element> value, std::string_view key, WhereFn where) {
  if (!value) return Cell::null();
  int64_t number = 0;
  switch (read_integer(*value, number)) {
    case IntRead::kValue: return Cell::of_int(number);
    case IntRead::kNull: return Cell::null();
    case IntRead::kInvalid: break;
  }
  return core::make_error(fmt::format("{}{}: expected an integer (number or numeric string), got {}", where(), key,
                                      simdjson::to_string(*value)),
                          core::ErrorKind::kBadInput);
}

std::optional<element> lookup(object o, std::string_view key) {
  element value;
  if (o[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

Result<Cell> read_int_cell(object report, std::string_view key) {
  return int_cell(lookup(report, key), key, [] { return std::string(); });
}

//! String columns: strings as they are; numbers and other values as their JSON text.
Cell read_string_cell(object report, std::string_view key) {
  element value;
  if (report[key].get(value) != simdjson::SUCCESS || value.is_null()) return Cell::null();
  if (std::string_view text; value.get_string().get(text) == simdjson::SUCCESS)
    return Cell::of_string(std::string(text));
  return Cell::of_string(simdjson::to_string(value));
}

Cell read_dynamic_cell(object report, std::string_view key) {
  element value;
  if (report[key].get(value) != simdjson::SUCCESS || value.is_null()) return Cell::null();
  return Cell::of_json(simdjson::to_string(value));
}

Result<TaskMetadata> read_metadata(object report) {
  TaskMetadata meta;
  meta.task_id = read_string_cell(report, "task_id");
  auto submitted = read_int_cell(report, "submitted");
  if (!submitted) return submitted.error();
  auto processed = read_int_cell(report, "processed");
  if (!processed) return processed.error();
  meta.submitted = std::move(*submitted);
  meta.processed = std::move(*processed);
  int64_t duration = 0;
  if (!meta.submitted.is_null() && !meta.processed.is_null() &&
      !__builtin_sub_overflow(meta.processed.integer, meta.submitted.integer, &duration)) {
    meta.process_duration = Cell::of_int(duration);
  }
  meta.direct_sender = read_string_cell(report, "direct_sender");
  meta.worker_address = read_dynamic_cell(report, "worker_address");
  meta.worker_hostname = read_string_cell(report, "worker_hostname");
  meta.worker_ip = read_dynamic_cell(report, "worker_ip");
  meta.forwarded_for = read_dynamic_cell(report, "forwarded_for");
  return meta;
}

Cell json_cell_or_null(std::string json) {
  return json.empty() ? Cell::null() : Cell::of_json(std::move(json));
}

Cell entry_json_cell(object entry, std::string_view key) {
  element value;
  if (entry[key].get(value) != simdjson::SUCCESS || value.is_null()) return Cell::null();
  return Cell::of_json(simdjson::to_string(value));
}

class ReportReader {
 public:
  ReportReader(std::string_view time_generated, ParsedInput& out) : time_generated_(time_generated), out_(out) {}

  //! `where` prefixes error messages when the input holds several reports ("report 3: ").
  core::Status read(element value, const std::string& where) {
    object report;
    if (value.get_object().get(report) != simdjson::SUCCESS) {
      return core::make_error(fmt::format("{}not a Spectra Detect task report: the value is {}, expected an object",
                                          where, type_name(value.type())),
                              core::ErrorKind::kBadInput);
    }
    ++out_.reports;
    if (element processed; report["processed"].get(processed) == simdjson::SUCCESS && processed.is_null()) {
      ++out_.pending_reports;
      return {};
    }
    simdjson::dom::array entries;
    element tc_report;
    if (report["tc_report"].get(tc_report) != simdjson::SUCCESS) {
      return core::make_error(fmt::format("{}not a Spectra Detect task report: no tc_report array", where),
                              core::ErrorKind::kBadInput);
    }
    if (tc_report.get_array().get(entries) != simdjson::SUCCESS) {
      return core::make_error(fmt::format("{}tc_report is {}, expected an array", where, type_name(tc_report.type())),
                              core::ErrorKind::kBadInput);
    }
    auto meta = read_metadata(report);
    if (!meta) return core::make_error(where + meta.error().message, core::ErrorKind::kBadInput);
    int64_t position = 0;
    for (const element entry : entries) {
      if (auto status = read_entry(*meta, entry, position, where); !status) return status;
      ++position;
    }
    return {};
  }

 private:
  core::Status read_entry(const TaskMetadata& meta, element value, int64_t position, const std::string& where) {
    // Only error messages use the entry's name: build it lazily, not once per row.
    const auto entry_where = [&] { return fmt::format("{}tc_report[{}]: ", where, position); };
    object entry;
    if (value.get_object().get(entry) != simdjson::SUCCESS) {
      return core::make_error(
          fmt::format("{}tc_report[{}] is {}, expected an object", where, position, type_name(value.type())),
          core::ErrorKind::kBadInput);
    }
    Row row;
    std::optional<element> index_value;
    std::optional<element> parent_value;
    if (is_flat_entry(entry)) {
      auto columns = rebuild_flat_entry(entry, row.facts);
      row[ColumnId::kInfo] = json_cell_or_null(std::move(columns.info));
      row[ColumnId::kClassification] = json_cell_or_null(std::move(columns.classification));
      row[ColumnId::kStory] = json_cell_or_null(std::move(columns.story));
      row[ColumnId::kTags] = json_cell_or_null(std::move(columns.tags));
      row[ColumnId::kInterestingStrings] = json_cell_or_null(std::move(columns.interesting_strings));
      index_value = columns.index;
      parent_value = columns.parent;
    } else {
      read_nested_facts(entry, row.facts);
      row[ColumnId::kInfo] = entry_json_cell(entry, "info");
      row[ColumnId::kClassification] = entry_json_cell(entry, "classification");
      row[ColumnId::kStory] = entry_json_cell(entry, "story");
      row[ColumnId::kTags] = entry_json_cell(entry, "tags");
      row[ColumnId::kInterestingStrings] = entry_json_cell(entry, "interesting_strings");
      index_value = lookup(entry, "index");
      parent_value = lookup(entry, "parent");
    }
    auto index = int_cell(index_value, "index", entry_where);
    if (!index) return index.error();
    // Reports without "index" list the submitted file first; the position is the index then.
    if (index->is_null()) *index = Cell::of_int(position);
    auto parent = int_cell(parent_value, "parent", entry_where);
    if (!parent) return parent.error();

    row[ColumnId::kTimeGenerated] = Cell::of_string(std::string(time_generated_));
    row[ColumnId::kTaskId] = meta.task_id;
    row[ColumnId::kSubmitted] = meta.submitted;
    row[ColumnId::kProcessed] = meta.processed;
    row[ColumnId::kProcessDuration] = meta.process_duration;
    row[ColumnId::kDirectSender] = meta.direct_sender;
    row[ColumnId::kWorkerAddress] = meta.worker_address;
    row[ColumnId::kWorkerHostname] = meta.worker_hostname;
    row[ColumnId::kWorkerIp] = meta.worker_ip;
    row[ColumnId::kForwardedFor] = meta.forwarded_for;
    row[ColumnId::kIndex] = std::move(*index);
    row[ColumnId::kParent] = std::move(*parent);

    const std::optional<std::string_view> task_id =
        meta.task_id.is_null() ? std::nullopt : std::optional<std::string_view>(meta.task_id.text);
    const std::optional<int64_t> submitted =
        meta.submitted.is_null() ? std::nullopt : std::optional<int64_t>(meta.submitted.integer);
    row[ColumnId::kRecordId] =
        Cell::of_string(make_record_id(task_id, submitted, row[ColumnId::kIndex].integer, row.facts.sha1));
    out_.rows.push_back(std::move(row));
    return {};
  }

  std::string_view time_generated_;
  ParsedInput& out_;
};

}  // namespace

static_assert(kParserPadding >= simdjson::SIMDJSON_PADDING);

struct ReportParser::Buffers {
  simdjson::dom::parser parser;
};

ReportParser::ReportParser() : buffers_(std::make_unique<Buffers>()) {}
ReportParser::~ReportParser() = default;
ReportParser::ReportParser(ReportParser&&) noexcept = default;
ReportParser& ReportParser::operator=(ReportParser&&) noexcept = default;

Result<ParsedInput> ReportParser::parse(const std::string& bytes, std::string_view time_generated) {
  // The parser keeps buffers sized for the largest input so far; after an outsized report, give that
  // memory back instead of holding it for the rest of the run.
  auto& parser = buffers_->parser;
  if (parser.capacity() > kKeepParserCapacity && bytes.size() <= kKeepParserCapacity) {
    parser = simdjson::dom::parser();
  }
  auto parsed_root = core::parse_json(parser, bytes);
  if (!parsed_root) return parsed_root.error();
  const element root = *parsed_root;
  ParsedInput out;
  ReportReader reader(time_generated, out);
  if (simdjson::dom::array reports; root.get_array().get(reports) == simdjson::SUCCESS) {
    size_t n = 0;
    for (const element report : reports) {
      if (auto status = reader.read(report, fmt::format("report {}: ", n)); !status) return status.error();
      ++n;
    }
    if (n == 0) return core::make_error("not a Spectra Detect task report: an empty array", core::ErrorKind::kBadInput);
  } else if (auto status = reader.read(root, ""); !status) {
    return status.error();
  }
  if (out.pending()) out.rows.clear();
  return out;
}

}  // namespace sb::detect
