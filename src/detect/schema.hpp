// The SpectraDetectLogs_CL table schema, defined once: every serialiser, table and deploy artifact derives from it.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace sb::detect {

inline constexpr std::string_view kTableName = "SpectraDetectLogs_CL";
inline constexpr std::string_view kStreamName = "Custom-SpectraDetectLogs";
inline constexpr std::string_view kStoreTableName = "spectra_detect_logs";

//! Log Analytics column types used by the table.
enum class ColumnType { kDatetime, kString, kInt, kDynamic };

//! Column positions; the order of kColumns and of every serialised row.
enum class ColumnId : size_t {
  kTimeGenerated,
  kTaskId,
  kSubmitted,
  kProcessed,
  kProcessDuration,
  kDirectSender,
  kWorkerAddress,
  kWorkerHostname,
  kWorkerIp,
  kForwardedFor,
  kInfo,
  kClassification,
  kIndex,
  kParent,
  kStory,
  kTags,
  kInterestingStrings,
  kRecordId,
};

inline constexpr size_t kColumnCount = 18;

struct Column {
  ColumnId id;
  std::string_view name;
  ColumnType type;
  std::string_view description;
};

inline constexpr std::array<Column, kColumnCount> kColumns = {{
    {ColumnId::kTimeGenerated, "TimeGenerated", ColumnType::kDatetime, "Time the row was ingested (UTC)."},
    {ColumnId::kTaskId, "task_id", ColumnType::kString, "Spectra Detect task id."},
    {ColumnId::kSubmitted, "submitted", ColumnType::kInt, "Task submission time, Unix seconds."},
    {ColumnId::kProcessed, "processed", ColumnType::kInt, "Task completion time, Unix seconds."},
    {ColumnId::kProcessDuration, "process_duration", ColumnType::kInt, "processed - submitted, seconds."},
    {ColumnId::kDirectSender, "direct_sender", ColumnType::kString, "Address that submitted the task."},
    {ColumnId::kWorkerAddress, "worker_address", ColumnType::kDynamic, "Worker addresses (array)."},
    {ColumnId::kWorkerHostname, "worker_hostname", ColumnType::kString, "Worker host name."},
    {ColumnId::kWorkerIp, "worker_ip", ColumnType::kDynamic, "Worker IP addresses (array)."},
    {ColumnId::kForwardedFor, "forwarded_for", ColumnType::kDynamic, "Proxy chain of the submission (array)."},
    {ColumnId::kInfo, "info", ColumnType::kDynamic, "File information: name, path, type, size, entropy, hashes."},
    {ColumnId::kClassification, "classification", ColumnType::kDynamic,
     "Verdict: classification 0-3, factor, result (threat name), scan_results."},
    {ColumnId::kIndex, "index", ColumnType::kInt, "Position of the file in the task (0 = submitted file)."},
    {ColumnId::kParent, "parent", ColumnType::kInt, "Index of the containing file (null for the submitted file)."},
    {ColumnId::kStory, "story", ColumnType::kDynamic, "Human-readable analysis summary."},
    {ColumnId::kTags, "tags", ColumnType::kDynamic, "Analysis tags (array)."},
    {ColumnId::kInterestingStrings, "interesting_strings", ColumnType::kDynamic,
     "Strings of interest by category (URLs, IPs, e-mail addresses)."},
    {ColumnId::kRecordId, "record_id", ColumnType::kString,
     "Deterministic id of the row: SHA-256 of task_id, submitted, index and file SHA-1; used to drop replays."},
}};

constexpr const Column& column(ColumnId id) {
  return kColumns[static_cast<size_t>(id)];
}

//! The KQL / DCR type name ("datetime", "string", "int", "dynamic").
constexpr std::string_view kql_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::kDatetime: return "datetime";
    case ColumnType::kString: return "string";
    case ColumnType::kInt: return "int";
    case ColumnType::kDynamic: return "dynamic";
  }
  return "string";
}

//! Columns are listed in ColumnId order, so kColumns[i].id == i; checked at compile time.
constexpr bool columns_in_id_order() {
  for (size_t i = 0; i < kColumnCount; ++i) {
    if (static_cast<size_t>(kColumns[i].id) != i) return false;
  }
  return true;
}
static_assert(columns_in_id_order());
static_assert(static_cast<size_t>(ColumnId::kRecordId) + 1 == kColumnCount);

}  // namespace sb::detect
