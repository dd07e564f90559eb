// Bad input of every kind: a clear error (with a byte offset when it can be known), never a crash, never rows.
#include <gtest/gtest.h>

#include <string>

#include "detect/report_parser.hpp"

namespace sb::detect {
namespace {

constexpr std::string_view kTime = "2026-11-23T12:00:00.000Z";

core::Error parse_error(const std::string& text) {
  ReportParser parser;
  auto parsed = parser.parse(text, kTime);
  EXPECT_FALSE(parsed.ok()) << "accepted: " << text.substr(0, 200);
  return parsed.ok() ? core::Error{} : parsed.error();
}

void expect_contains(const std::string& text, std::string_view part) {
  EXPECT_NE(text.find(part), std::string::npos) << "\"" << text << "\" lacks \"" << part << "\"";
}

TEST(ReportParserBadInput, NotJson) {
  const auto error = parse_error("this is not json");
  expect_contains(error.message, "invalid JSON");
  ASSERT_TRUE(error.offset.has_value());
  EXPECT_EQ(*error.offset, 0u);
}

TEST(ReportParserBadInput, EmptyInput) {
  expect_contains(parse_error("").message, "empty input");
}

TEST(ReportParserBadInput, TruncatedReportNamesTheOffset) {
  const std::string text = R"({"task_id": 1, "processed": 2, "tc_report": [{"index": 0, "info": {"file": )";
  const auto error = parse_error(text);
  expect_contains(error.message, "JSON");
  ASSERT_TRUE(error.offset.has_value());
  EXPECT_LE(*error.offset, text.size());
}

TEST(ReportParserBadInput, SyntaxErrorInsideNestedValueIsLocated) {
  const std::string text = R"({"processed": 2, "tc_report": [{"index": 0, "info": {"size": tru}}]})";
  const auto error = parse_error(text);
  ASSERT_TRUE(error.offset.has_value()) << error.message;
  EXPECT_EQ(*error.offset, text.find("tru"));
}

TEST(ReportParserBadInput, TcReportMissing) {
  expect_contains(parse_error(R"({"task_id": 5, "processed": 10})").message, "no tc_report");
}

TEST(ReportParserBadInput, TcReportNotAnArray) {
  expect_contains(parse_error(R"({"processed": 10, "tc_report": {"index": 0}})").message,
                  "tc_report is an object, expected an array");
}

TEST(ReportParserBadInput, EntryOfTheWrongType) {
  expect_contains(parse_error(R"({"processed": 10, "tc_report": [{"index": 0}, "oops"]})").message,
                  "tc_report[1] is a string, expected an object");
}

TEST(ReportParserBadInput, TopLevelScalarOrEmptyArray) {
  expect_contains(parse_error("42").message, "not a Spectra Detect task report");
  expect_contains(parse_error("[]").message, "empty array");
  expect_contains(parse_error(R"([{"processed": 1, "tc_report": []}, 7])").message, "report 1: ");
}

TEST(ReportParserBadInput, NonNumericTimestamp) {
  expect_contains(parse_error(R"({"submitted": "yesterday", "processed": 10, "tc_report": []})").message,
                  "submitted: expected an integer");
}

TEST(ReportParserBadInput, NonNumericIndex) {
  expect_contains(parse_error(R"({"processed": 10, "tc_report": [{"index": {"a": 1}}]})").message,
                  "tc_report[0]: index: expected an integer");
}

TEST(ReportParserBadInput, NestingTenThousandDeep) {
  const std::string text =
      R"({"processed": 1, "tc_report": [{"info": )" + std::string(10000, '[') + std::string(10000, ']') + "}]}";
  expect_contains(parse_error(text).message, "nested deeper than 1024");
}

TEST(ReportParserBadInput, InvalidUtf8IsLocated) {
  std::string text = R"({"processed": 1, "tc_report": [{"info": {"file": {"file_name": "ab)";
  const size_t bad = text.size();
  text += "\xC3\x28";  // a lead byte followed by a non-continuation byte
  text += R"("}}}]})";
  const auto error = parse_error(text);
  expect_contains(error.message, "invalid UTF-8");
  ASSERT_TRUE(error.offset.has_value());
  EXPECT_EQ(*error.offset, bad);
}

TEST(ReportParserBadInput, TrailingGarbageAfterTheReport) {
  const std::string text = R"({"processed": 1, "tc_report": []} xyz)";
  const auto error = parse_error(text);
  ASSERT_TRUE(error.offset.has_value()) << error.message;
  EXPECT_EQ(*error.offset, text.find("xyz"));
}

TEST(ReportParserLenientInput, NumbersAsStringsAndUnknownKeys) {
  ReportParser parser;
  auto parsed = parser.parse(
      R"({"task_id": "77", "submitted": "1700000000", "processed": " 1700000060 ", "new_key": {"x": 1},
          "tc_report": [{"index": "0", "info": {"file": {"hashes": [{"name": "SHA1", "value": "ABCDEF0123456789ABCDEF0123456789ABCDEF01"}]}}},
                        {"index": 1, "parent": "0", "classification": {"classification": "3", "result": "Win32.Trojan.X"}}]})",
      kTime);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rows.size(), 2u);
  const auto& root = parsed->rows[0];
  EXPECT_EQ(root[ColumnId::kTaskId].text, "77");
  EXPECT_EQ(root[ColumnId::kSubmitted].integer, 1700000000);
  EXPECT_EQ(root[ColumnId::kProcessDuration].integer, 60);
  EXPECT_EQ(root[ColumnId::kIndex].integer, 0);
  EXPECT_TRUE(root[ColumnId::kParent].is_null());
  const auto& child = parsed->rows[1];
  EXPECT_EQ(child[ColumnId::kParent].integer, 0);
  EXPECT_EQ(child.facts.verdict, 3);
  EXPECT_EQ(child.facts.threat_name, "Win32.Trojan.X");
  EXPECT_NE(root[ColumnId::kRecordId].text, child[ColumnId::kRecordId].text);
}

TEST(ReportParserLenientInput, ProcessedMissingGivesNullDuration) {
  ReportParser parser;
  auto parsed = parser.parse(R"({"task_id": 3, "submitted": 10, "tc_report": [{"index": 0}]})", kTime);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->rows.size(), 1u);
  EXPECT_TRUE(parsed->rows[0][ColumnId::kProcessed].is_null());
  EXPECT_TRUE(parsed->rows[0][ColumnId::kProcessDuration].is_null());
}

TEST(ReportParserLenientInput, PendingReportInAnArrayHoldsTheWholeInputBack) {
  ReportParser parser;
  auto parsed = parser.parse(
      R"([{"task_id": 1, "processed": 5, "tc_report": [{"index": 0}]}, {"task_id": 2, "processed": null}])", kTime);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->pending());
  EXPECT_EQ(parsed->reports, 2u);
  EXPECT_TRUE(parsed->rows.empty());
}

TEST(ReportParserLenientInput, EscapedAndUnicodeStringsStayValidJson) {
  ReportParser parser;
  auto parsed = parser.parse(
      "{\"processed\": 1, \"tc_report\": [{\"story\": \"line\\nbreak \\\"q\\\" \\u00e9 \xF0\x9F\x98\x80\"}]}", kTime);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->rows[0][ColumnId::kStory].text, "\"line\\nbreak \\\"q\\\" \xC3\xA9 \xF0\x9F\x98\x80\"");
}

}  // namespace
}  // namespace sb::detect

namespace sb::detect {
namespace {

TEST(ReportParserFlatView, IndexedHashesAndScanResultsAreRebuilt) {
  ReportParser parser;
  auto parsed = parser.parse(
      R"({"processed": 1, "tc_report": [{"info_file_file_name": "a.exe",
          "info_file_hashes_0_name": "md5", "info_file_hashes_0_value": "0123456789abcdef0123456789abcdef",
          "info_file_hashes_1_value": "0123456789ABCDEF0123456789ABCDEF01234567", "info_file_hashes_1_name": "sha1",
          "classification_classification": 3,
          "classification_scan_results_0_name": "TitaniumCloud", "classification_scan_results_0_result": "Win32.Trojan.X"}]})",
      "2026-11-23T12:00:00.000Z");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& row = parsed->rows[0];
  EXPECT_EQ(row[ColumnId::kInfo].text,
            R"({"file":{"file_name":"a.exe","hashes":[{"name":"md5","value":"0123456789abcdef0123456789abcdef"},)"
            R"({"value":"0123456789ABCDEF0123456789ABCDEF01234567","name":"sha1"}]}})");
  EXPECT_EQ(row.facts.md5, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(row.facts.sha1, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(row[ColumnId::kClassification].text,
            R"({"classification":3,"scan_results":[{"name":"TitaniumCloud","result":"Win32.Trojan.X"}]})");
  EXPECT_EQ(row.facts.threat_name, "Win32.Trojan.X");
}

}  // namespace
}  // namespace sb::detect

namespace sb::detect {
namespace {

//! Regression: a flat key that is both a value and a prefix freed nodes the builder still pointed to.
TEST(ReportParserFlatView, ConflictingFlatKeysDoNotCrashAndTheFirstWins) {
  ReportParser parser;
  for (
      const char* report :
      {R"({"processed":2,"tc_report":[{"classification_scan_results_A_result":"x","classification_scan_results":1}]})",
       R"({"processed":2,"tc_report":[{"classification_scan_results":1,"classification_scan_results_A_result":"x"}]})",
       R"({"processed":2,"tc_report":[{"info_file_hashes_sha1":"ab","info_file":7,"info_file_hashes":[1]}]})",
       R"({"processed":2,"tc_report":[{"tags_0":"a","tags":["b"],"story_0_caption":"c","story":"d"}]})",
       R"({"processed":2,"tc_report":[{"classification_propagation_source":1,"classification_propagation_source_name":"sha1"}]})"}) {
    auto parsed = parser.parse(report, "2026-11-23T12:00:00.000Z");
    ASSERT_TRUE(parsed.ok()) << report;
    ASSERT_EQ(parsed->rows.size(), 1u);
  }
  auto parsed = parser.parse(
      R"({"processed":2,"tc_report":[{"classification_scan_results_A_result":"x","classification_scan_results":1}]})",
      "2026-11-23T12:00:00.000Z");
  EXPECT_EQ(parsed->rows[0][ColumnId::kClassification].text, R"({"scan_results":[{"name":"A","result":"x"}]})");
}

}  // namespace
}  // namespace sb::detect
