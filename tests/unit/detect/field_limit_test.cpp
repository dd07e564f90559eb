// Cells over the Logs Ingestion field limit are cut to at most the limit, stay valid JSON of the same shape, and
// say what was cut; cells within the limit are left alone.
#include <gtest/gtest.h>

#include <simdjson.h>

#include "core/json_writer.hpp"
#include "detect/field_limit.hpp"

namespace sb::detect {
namespace {

constexpr size_t kLimit = 1024;

size_t json_size(const Cell& cell) {
  if (cell.kind == Cell::Kind::kJson) return cell.text.size();
  std::string quoted;
  core::append_json_string(quoted, cell.text);
  return quoted.size();
}

//! cut_to_limit applied in place: true when the cell was cut.
bool cut_in_place(Cell& cell, size_t max_bytes) {
  auto cut = cut_to_limit(cell, max_bytes);
  if (!cut) return false;
  cell = std::move(*cut);
  return true;
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& text) {
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(text).get(element), simdjson::SUCCESS) << text;
  return element;
}

TEST(FieldLimit, CellsWithinTheLimitAreUntouched) {
  Cell text = Cell::of_string(std::string(kLimit - 2, 'a'));
  Cell json = Cell::of_json("[" + std::string(kLimit - 4, '1') + "]");
  Cell number = Cell::of_int(7);
  EXPECT_FALSE(cut_in_place(text, kLimit));
  EXPECT_FALSE(cut_in_place(json, kLimit));
  EXPECT_FALSE(cut_in_place(number, kLimit));
  EXPECT_EQ(text.text.size(), kLimit - 2);
}

TEST(FieldLimit, ALongStringKeepsItsStartOnACharacterBoundaryAndSaysSo) {
  // 'x' then two-byte characters: a cut at an even byte count would split one.
  std::string value = "x";
  for (int i = 0; i < 2000; ++i) value += "é";
  Cell cell = Cell::of_string(value);
  ASSERT_TRUE(cut_in_place(cell, kLimit));
  EXPECT_EQ(cell.kind, Cell::Kind::kString);
  EXPECT_LE(json_size(cell), kLimit);
  EXPECT_GT(json_size(cell), kLimit - 100);
  EXPECT_TRUE(cell.text.starts_with("xéé"));
  EXPECT_NE(cell.text.find("[truncated by spectra-bridge: kept "), std::string::npos);
  EXPECT_NE(cell.text.find(" of 4001 bytes]"), std::string::npos);
  simdjson::dom::parser parser;
  std::string quoted;
  core::append_json_string(quoted, cell.text);
  parse(parser, quoted);  // valid UTF-8 throughout
}

TEST(FieldLimit, EscapesCountTowardsTheLimit) {
  Cell cell = Cell::of_string(std::string(kLimit, '\x01'));  // each byte becomes \u0001
  ASSERT_TRUE(cut_in_place(cell, kLimit));
  EXPECT_LE(json_size(cell), kLimit);
}

TEST(FieldLimit, AnArrayKeepsItsLeadingElementsAndEndsWithANote) {
  std::string array = "[";
  for (int i = 0; i < 200; ++i) array += std::string(i ? "," : "") + "\"http://example.com/" + std::to_string(i) + "\"";
  array += "]";
  Cell cell = Cell::of_json(array);
  ASSERT_TRUE(cut_in_place(cell, kLimit));
  EXPECT_LE(cell.text.size(), kLimit);
  simdjson::dom::parser parser;
  auto element = parse(parser, cell.text);
  simdjson::dom::array kept;
  ASSERT_EQ(element.get_array().get(kept), simdjson::SUCCESS);
  const size_t count = kept.size();
  ASSERT_GT(count, 10u);
  EXPECT_EQ(std::string_view(kept.at(0).get_string().value()), "http://example.com/0");
  const std::string_view note = kept.at(count - 1).get_string().value();
  EXPECT_TRUE(note.starts_with("[truncated by spectra-bridge: kept " + std::to_string(count - 1) + " of 200 elements"))
      << note;
}

TEST(FieldLimit, AnObjectKeepsItsLeadingMembersAndAddsANoteMember) {
  std::string object = "{";
  for (int i = 0; i < 100; ++i)
    object += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":\"" + std::string(40, 'v') + "\"";
  object += "}";
  Cell cell = Cell::of_json(object);
  ASSERT_TRUE(cut_in_place(cell, kLimit));
  EXPECT_LE(cell.text.size(), kLimit);
  simdjson::dom::parser parser;
  auto element = parse(parser, cell.text);
  simdjson::dom::object kept;
  ASSERT_EQ(element.get_object().get(kept), simdjson::SUCCESS);
  EXPECT_EQ(kept["k0"].get_string().value().size(), 40u);
  std::string_view note;
  ASSERT_EQ(kept["spectra_bridge_truncated"].get_string().get(note), simdjson::SUCCESS);
  EXPECT_NE(note.find("of 100 members"), std::string_view::npos);
}

TEST(FieldLimit, AnArrayWhoseFirstElementIsTooBigKeepsOnlyTheNote) {
  Cell cell = Cell::of_json("[\"" + std::string(5000, 'z') + "\",1]");
  ASSERT_TRUE(cut_in_place(cell, kLimit));
  simdjson::dom::parser parser;
  auto element = parse(parser, cell.text);
  EXPECT_EQ(element.get_array().value().size(), 1u);
}

TEST(FieldLimit, AJsonStringValueIsCutLikeAString) {
  Cell cell = Cell::of_json("\"" + std::string(5000, 's') + "\"");
  ASSERT_TRUE(cut_in_place(cell, kLimit));
  EXPECT_EQ(cell.kind, Cell::Kind::kString);
  EXPECT_LE(json_size(cell), kLimit);
  EXPECT_TRUE(cell.text.starts_with("sss"));
}

}  // namespace
}  // namespace sb::detect
