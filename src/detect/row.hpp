// One row of SpectraDetectLogs_CL: a cell per schema column, plus facts the store indexes (hashes, verdict).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "detect/schema.hpp"

namespace sb::detect {

//! A column value. kJson holds compact, valid JSON text (for dynamic columns and odd-typed scalars).
struct Cell {
  enum class Kind { kNull, kInt, kString, kJson };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  std::string text;

  static Cell null() { return {}; }
  static Cell of_int(int64_t v) { return {Kind::kInt, v, {}}; }
  static Cell of_string(std::string v) { return {Kind::kString, 0, std::move(v)}; }
  static Cell of_json(std::string v) { return {Kind::kJson, 0, std::move(v)}; }
  bool is_null() const { return kind == Kind::kNull; }
};

//! Values the store indexes and the scanner's local provider looks up; read from the same parse, no second pass.
struct RowFacts {
  std::string md5;
  std::string sha1;
  std::string sha256;
  std::optional<int64_t> verdict;  // classification.classification: 0 unknown, 1 goodware, 2 suspicious, 3 malicious
  std::string threat_name;         // classification.result, else scan_results[0].result
  std::string file_name;
  std::string file_type;
};

struct Row {
  std::array<Cell, kColumnCount> cells;
  RowFacts facts;

  Cell& operator[](ColumnId id) { return cells[static_cast<size_t>(id)]; }
  const Cell& operator[](ColumnId id) const { return cells[static_cast<size_t>(id)]; }
};

//! The rows of one input (a file or a document from stdin), all-or-nothing.
struct ParsedInput {
  std::vector<Row> rows;
  size_t reports = 0;          // task reports in the input (a file may hold an array of them)
  size_t pending_reports = 0;  // reports still processing (processed: null)
  //! True when the input must be left for later: one of its reports is still pending, so none of it is emitted.
  bool pending() const { return pending_reports > 0; }
};

}  // namespace sb::detect
