// Artifacts generated from the table schema: Log Analytics table body, DCR stream declaration, docs table.
#pragma once

#include <string>
#include <string_view>

namespace sb::detect {

//! Body of the Tables API PUT (…/tables/SpectraDetectLogs_CL?api-version=2022-10-01).
std::string table_definition_json();

//! The DCR's streamDeclarations entry for Custom-SpectraDetectLogs (columns and types).
std::string dcr_stream_declaration_json();

//! A Markdown table of the columns, for the README.
std::string schema_markdown();

}  // namespace sb::detect
