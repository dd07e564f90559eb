// Row → JSON, driven by kColumns so the keys can never drift from the table schema.
#include "detect/row_json.hpp"

#include "core/json_writer.hpp"

namespace sb::detect {

void append_row_json(std::string& out, const Row& row) {
  out.push_back('{');
  for (size_t i = 0; i < kColumnCount; ++i) {
    if (i > 0) out.push_back(',');
    core::append_json_string(out, kColumns[i].name);
    out.push_back(':');
    const Cell& cell = row.cells[i];
    switch (cell.kind) {
      case Cell::Kind::kNull: out.append("null"); break;
      case Cell::Kind::kInt: core::append_json_int(out, cell.integer); break;
      case Cell::Kind::kString: core::append_json_string(out, cell.text); break;
      case Cell::Kind::kJson: out.append(cell.text); break;
    }
  }
  out.push_back('}');
}

}  // namespace sb::detect
