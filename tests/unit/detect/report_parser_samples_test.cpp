// The parser on every real Spectra Detect sample in ../shared/samples/spectra-detect: row counts and values.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/hash.hpp"
#include "detect/report_parser.hpp"
#include "support/test_support.hpp"

namespace sb::detect {
namespace {

constexpr std::string_view kTime = "2026-11-23T12:00:00.000Z";

std::string sample(std::string_view name) {
  return test::read_text(test::samples_dir() / "spectra-detect" / std::string(name));
}

//! Reads a JSON pointer out of a cell's JSON text.
simdjson::dom::element at(simdjson::dom::parser& parser, const Cell& cell, std::string_view pointer) {
  EXPECT_EQ(cell.kind, Cell::Kind::kJson);
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(cell.text).get(root), simdjson::SUCCESS) << cell.text;
  simdjson::dom::element value;
  EXPECT_EQ(root.at_pointer(pointer).get(value), simdjson::SUCCESS) << pointer << " in " << cell.text;
  return value;
}

TEST(ReportParserSamples, NestedReportWithoutIndexOrMetadata) {
  ReportParser parser;
  auto parsed = parser.parse(sample("tiscale_response.json"), kTime);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rows.size(), 1u);
  EXPECT_FALSE(parsed->pending());
  const Row& row = parsed->rows[0];
  EXPECT_EQ(row[ColumnId::kTimeGenerated].text, kTime);
  EXPECT_EQ(row[ColumnId::kTaskId].kind, Cell::Kind::kString);
  EXPECT_EQ(row[ColumnId::kTaskId].text, "15794");
  EXPECT_EQ(row[ColumnId::kSubmitted].integer, 1624487864);
  EXPECT_EQ(row[ColumnId::kProcessed].integer, 1624487865);
  EXPECT_EQ(row[ColumnId::kProcessDuration].integer, 1);
  for (auto id :
       {ColumnId::kDirectSender, ColumnId::kWorkerAddress, ColumnId::kWorkerHostname, ColumnId::kWorkerIp,
        ColumnId::kForwardedFor, ColumnId::kParent, ColumnId::kStory, ColumnId::kTags, ColumnId::kInterestingStrings}) {
    EXPECT_TRUE(row[id].is_null()) << column(id).name;
  }
  EXPECT_EQ(row[ColumnId::kIndex].integer, 0);  // no "index" key: position in tc_report

  simdjson::dom::parser json;
  EXPECT_EQ(std::string_view(at(json, row[ColumnId::kInfo], "/file/file_type")), "PE");
  EXPECT_EQ(int64_t(at(json, row[ColumnId::kInfo], "/file/size")), 620530);
  EXPECT_EQ(std::string_view(at(json, row[ColumnId::kInfo], "/file/hashes/2/value")),
            "848899ad7d2afabfb64806cc9ef8d7d1a3f77641");
  EXPECT_DOUBLE_EQ(double(at(json, row[ColumnId::kInfo], "/file/entropy")), 6.60580452906475);
  EXPECT_EQ(int64_t(at(json, row[ColumnId::kClassification], "/classification")), 3);
  EXPECT_EQ(std::string_view(at(json, row[ColumnId::kClassification], "/scan_results/0/result")),
            "Win32.Trojan.Graftor");
  // Values are carried unchanged: indicators/metadata are not columns, so info is exactly the report's info.
  EXPECT_EQ(row[ColumnId::kInfo].text.find('\n'), std::string::npos);

  EXPECT_EQ(row.facts.sha1, "848899ad7d2afabfb64806cc9ef8d7d1a3f77641");
  EXPECT_EQ(row.facts.md5, "8b84009488f7254a2be3c4409bcf286a");
  EXPECT_EQ(row.facts.sha256, "91ad1155d57e91caa994da40fff6048eb8c10fcf9a6c1b7d5a393f605d718acc");
  EXPECT_EQ(row.facts.verdict, 3);
  EXPECT_EQ(row.facts.threat_name, "Win32.Trojan.Graftor");  // no classification.result: first scan result
  EXPECT_EQ(row[ColumnId::kRecordId].text,
            core::hex_digest(core::Digest::kSha256, "15794|1624487864|0|848899ad7d2afabfb64806cc9ef8d7d1a3f77641"));
}

TEST(ReportParserSamples, FlatViewReportRebuildsNestedPaths) {
  ReportParser parser;
  auto parsed = parser.parse(sample("sdk_py3_test_tiscale_flat_view_result.json"), kTime);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rows.size(), 1u);
  const Row& row = parsed->rows[0];
  EXPECT_EQ(row[ColumnId::kTaskId].text, "119");
  EXPECT_EQ(row[ColumnId::kSubmitted].integer, 1712234413);
  EXPECT_EQ(row[ColumnId::kProcessDuration].integer, 0);
  EXPECT_EQ(row[ColumnId::kDirectSender].text, "8.8.8.8");
  EXPECT_EQ(row[ColumnId::kWorkerHostname].text, "my.tiscale.worker");
  EXPECT_EQ(row[ColumnId::kWorkerAddress].text, R"(["my.tiscale.worker"])");
  EXPECT_EQ(row[ColumnId::kWorkerIp].text, R"(["8.8.8.8"])");
  EXPECT_EQ(row[ColumnId::kForwardedFor].text, R"(["1.1.1.1"])");
  EXPECT_EQ(row[ColumnId::kIndex].integer, 0);
  EXPECT_TRUE(row[ColumnId::kParent].is_null());

  EXPECT_EQ(
      row[ColumnId::kInfo].text,
      R"({"file":{"entropy":2.235926350629033,"file_name":"some_file.txt","file_path":"some_file.txt",)"
      R"("file_subtype":"None","file_type":"Text","hashes":[{"name":"md5","value":"872002aaa5df50c813fd3443dc0bf561"},)"
      R"({"name":"rha0","value":"59d471a86f1a2ab253db68d5086033a07e5210e2"},)"
      R"({"name":"sha1","value":"59d471a86f1a2ab253db68d5086033a07e5210e2"},)"
      R"({"name":"sha256","value":"6b3f75ef9b043a4f002e22a854a86fc9e496bc6bbc1f116761528d5dfbfc6fce"}],"size":7},)"
      R"("statistics_file_stats_0_count":1,"statistics_file_stats_0_identifications_0_count":1,)"
      R"("statistics_file_stats_0_identifications_0_name":"Unknown","statistics_file_stats_0_subtype":"None",)"
      R"("statistics_file_stats_0_type":"Text"})");
  EXPECT_EQ(row[ColumnId::kClassification].text,
            R"({"classification":1,"factor":5,"propagated":false,"rca_factor":5,"result":"Text.Format.Graylisting",)"
            R"("scan_results":[{"classification":1,"factor":5,"ignored":false,"name":"TitaniumCore_Graylisting",)"
            R"("rca_factor":5,"result":"Text.Format.Graylisting","type":"internal","version":"4.1.2.0"}]})");
  EXPECT_EQ(
      row[ColumnId::kStory].text,
      R"([{"caption":"Description","content":"This file (SHA1: 59d471a86f1a2ab253db68d5086033a07e5210e2) is a )"
      R"(text file. There are no extracted files."},{"caption":"Classification","content":"The file was classified )"
      R"(as goodware, using TitaniumCore graylisting classifier."}])");
  EXPECT_EQ(row[ColumnId::kTags].text, R"(["graylisting"])");
  EXPECT_TRUE(row[ColumnId::kInterestingStrings].is_null());
  EXPECT_EQ(row.facts.sha1, "59d471a86f1a2ab253db68d5086033a07e5210e2");
  EXPECT_EQ(row.facts.verdict, 1);
  EXPECT_EQ(row.facts.threat_name, "Text.Format.Graylisting");
  EXPECT_EQ(row.facts.file_name, "some_file.txt");
}

TEST(ReportParserSamples, ListOfPendingTasksYieldsNoRowsAndNoError) {
  ReportParser parser;
  auto parsed = parser.parse(sample("tiscale_list_processing_response.json"), kTime);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->pending());
  EXPECT_EQ(parsed->reports, 1u);
  EXPECT_TRUE(parsed->rows.empty());
}

TEST(ReportParserSamples, UploadResponseIsNotAReport) {
  ReportParser parser;
  auto parsed = parser.parse(sample("tiscale_upload_response.json"), kTime);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("no tc_report"), std::string::npos) << parsed.error().message;
}

//! Every sample file either parses or is rejected with a message; none crashes (a guard for new samples).
TEST(ReportParserSamples, EveryJsonSampleInEveryFolderIsHandled) {
  ReportParser parser;
  size_t seen = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::samples_dir())) {
    if (entry.path().extension() != ".json") continue;
    ++seen;
    auto parsed = parser.parse(test::read_text(entry.path()), kTime);
    if (!parsed.ok()) {
      EXPECT_FALSE(parsed.error().message.empty()) << entry.path();
    }
  }
  EXPECT_GT(seen, 10u);
}

}  // namespace
}  // namespace sb::detect
