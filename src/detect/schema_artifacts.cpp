// Renders kColumns into the formats Azure and the docs need; deploy/ holds their committed output.
#include "detect/schema_artifacts.hpp"

#include <fmt/format.h>

#include "core/json_writer.hpp"
#include "detect/schema.hpp"

namespace sb::detect {
namespace {

//! The Tables API spells datetime "dateTime"; DCR stream declarations use "datetime".
std::string_view table_api_type(ColumnType type) {
  return type == ColumnType::kDatetime ? "dateTime" : kql_type_name(type);
}

void write_columns(core::JsonWriter& w, bool with_descriptions, bool table_api) {
  w.key("columns").begin_array();
  for (const auto& column : kColumns) {
    w.begin_object().key("name").value(column.name);
    w.key("type").value(table_api ? table_api_type(column.type) : kql_type_name(column.type));
    if (with_descriptions) w.key("description").value(column.description);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string table_definition_json() {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("properties").begin_object().key("schema").begin_object();
  w.key("name").value(kTableName);
  write_columns(w, true, true);
  w.end_object().end_object().end_object();
  out += '\n';
  return out;
}

std::string dcr_stream_declaration_json() {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key(kStreamName).begin_object();
  write_columns(w, false, false);
  w.end_object().end_object();
  out += '\n';
  return out;
}

std::string schema_markdown() {
  std::string out = "| Column | Type | Meaning |\n|---|---|---|\n";
  for (const auto& column : kColumns) {
    out += fmt::format("| `{}` | {} | {} |\n", column.name, kql_type_name(column.type), column.description);
  }
  return out;
}

}  // namespace sb::detect
