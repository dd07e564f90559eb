// Defender streaming messages: the real Elastic capture (bare records and wrapped), envelopes, hashes,
// grouping by alert, merging, and every bad input.
#include <gtest/gtest.h>

#include <sstream>

#include "defender/file_hash.hpp"
#include "defender/streaming_message.hpp"
#include "support/test_support.hpp"

namespace sb::defender {
namespace {

std::vector<std::string> sample_lines() {
  std::istringstream in(
      test::read_text(test::samples_dir() / "defender" / "elastic_m365_defender_event_test-alert.ndjson"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(StreamingMessage, ElasticCaptureWrappedInAnEventHubsEnvelope) {
  const auto lines = sample_lines();
  ASSERT_EQ(lines.size(), 6u);
  std::string message = R"({"records":[)";
  for (size_t i = 0; i < lines.size(); ++i) message += (i > 0 ? "," : "") + lines[i];
  message += "]}";
  StreamingMessageParser parser;
  auto parsed = parser.parse(message);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->evidence_records, 1u);
  EXPECT_EQ(parsed->info_records, 3u);
  EXPECT_EQ(parsed->other_records, 2u);  // DeviceProcessEvents: counted, skipped
  EXPECT_TRUE(parsed->rejected.empty());
  ASSERT_EQ(parsed->alerts.size(), 2u);

  const Alert& evidence = parsed->alerts[0];
  EXPECT_EQ(evidence.alert_id, "da638034938542195558_2006612345");
  EXPECT_FALSE(evidence.has_info);
  ASSERT_EQ(evidence.files.size(), 1u);
  EXPECT_EQ(evidence.files[0].sha1, "eff06d27e192d18afb00237ca00c4e5dd4012345");
  EXPECT_EQ(evidence.files[0].sha256, "bd914e55d55a31b7bdc95fa617f9925ff3eba703afd7a8b70cea18dcae512345");
  EXPECT_EQ(evidence.files[0].md5, "");
  EXPECT_EQ(evidence.files[0].file_name, "ai_alternate_stream_s7f_48qa.txt:ai-8xNfG12345");
  EXPECT_EQ(evidence.files[0].folder_path, "C:\\Windows\\Temp");
  EXPECT_EQ(evidence.files[0].device_name, "TestMachine1");
  EXPECT_EQ(evidence.files[0].evidence_role, "Related");
  EXPECT_EQ(evidence.files[0].entity_type, "File");

  const Alert& info = parsed->alerts[1];
  EXPECT_EQ(info.alert_id, "da638034938542563831_172489803");
  EXPECT_TRUE(info.has_info);
  EXPECT_EQ(info.title, "Anomalous silent process exit monitor registration");
  EXPECT_EQ(info.severity, "Medium");
  EXPECT_EQ(info.category, "Persistence");
  EXPECT_EQ(info.detection_source, "EDR");
  EXPECT_EQ(info.service_source, "Microsoft Defender for Endpoint");
  EXPECT_TRUE(info.files.empty());
}

TEST(StreamingMessage, EveryCaptureLineAloneIsAUsableRecord) {
  StreamingMessageParser parser;
  for (const auto& line : sample_lines()) {
    auto parsed = parser.parse(line);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_TRUE(parsed->rejected.empty()) << parsed->rejected[0].reason;
  }
  EXPECT_EQ(parser.parse(sample_lines()[0])->alerts.at(0).files.size(), 1u);
}

std::string evidence(std::string_view alert, std::string_view extra) {
  return R"({"category":"AdvancedHunting-AlertEvidence","properties":{"AlertId":")" + std::string(alert) + "\"," +
         std::string(extra) + "}}";
}

TEST(StreamingMessage, GroupsByAlertMergesTheSameFileAndReadsMd5FromAdditionalFields) {
  const std::string sha1 = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
  const std::string message =
      "{\"records\":[" +
      evidence("a1", R"("EntityType":"File","SHA1":")" + sha1 + R"(","FileName":"x.exe","SHA256":null)") + "," +
      evidence("a1",
               R"("EntityType":"Process","SHA1":")" + sha1 +
                   R"(","FolderPath":"C:\\t","AdditionalFields":"{\"Md5\":\"0123456789abcdef0123456789abcdef\"}")") +
      "," + evidence("a1", R"("EntityType":"Machine","DeviceName":"pc1")") + "," +
      evidence("a2", R"("EntityType":"Ip","SHA256":")" + std::string(64, 'b') + R"(")") + "]}";
  StreamingMessageParser parser;
  auto parsed = parser.parse(message);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->alerts.size(), 2u);
  ASSERT_EQ(parsed->alerts[0].files.size(), 1u);
  const auto& file = parsed->alerts[0].files[0];
  EXPECT_EQ(file.sha1, "abcdef0123456789abcdef0123456789abcdef01");
  EXPECT_EQ(file.md5, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(file.file_name, "x.exe");
  EXPECT_EQ(file.folder_path, "C:\\t");
  ASSERT_EQ(parsed->alerts[1].files.size(), 1u);  // any row carrying a hash names a file
  EXPECT_EQ(parsed->alerts[1].files[0].sha256, std::string(64, 'b'));
}

TEST(StreamingMessage, BadRecordsAreRejectedOneByOneWithReasons) {
  const std::string message = "{\"records\":[" + evidence("a1", R"("SHA1":"1234")") + "," +
                              evidence("a1", R"("SHA1":")" + std::string(40, '0') + "\"") + "," +
                              evidence("a1", R"("SHA256":")" + std::string(64, 'g') + "\"") + "," +
                              R"("text",{"properties":{}},{"category":"AdvancedHunting-AlertInfo","properties":[]},)" +
                              R"({"category":"AdvancedHunting-AlertInfo","properties":{"AlertId":7}},)" +
                              evidence("ok", R"("SHA1":")" + std::string(40, 'a') + "\"") + "]}";
  StreamingMessageParser parser;
  auto parsed = parser.parse(message);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rejected.size(), 7u);
  EXPECT_EQ(parsed->rejected[0].reason, "records[0]: SHA1 \"1234\" is 4 characters long, expected 40");
  EXPECT_NE(parsed->rejected[1].reason.find("all zeros"), std::string::npos);
  EXPECT_NE(parsed->rejected[2].reason.find("SHA256"), std::string::npos);
  EXPECT_NE(parsed->rejected[2].reason.find("not hexadecimal"), std::string::npos);
  EXPECT_EQ(parsed->rejected[3].reason, "records[3]: the record is not an object");
  EXPECT_EQ(parsed->rejected[4].reason, "records[4]: no category");
  EXPECT_EQ(parsed->rejected[5].reason, "records[5]: properties is missing or not an object");
  EXPECT_EQ(parsed->rejected[6].reason, "records[6]: AlertId is missing or not a string");
  EXPECT_EQ(parsed->rejected[3].record_json, "\"text\"");
  ASSERT_EQ(parsed->alerts.size(), 2u);  // a1 (seen, but every file rejected) and ok
  EXPECT_TRUE(parsed->alerts[0].files.empty());
  EXPECT_EQ(parsed->alerts[1].files.size(), 1u);
}

TEST(StreamingMessage, WholeMessageErrors) {
  StreamingMessageParser parser;
  EXPECT_NE(parser.parse("not json").error().message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(parser.parse(R"({"records":"x"})").error().message, "records is a string, expected an array");
  EXPECT_NE(parser.parse(R"({"value":[]})").error().message.find("no records array"), std::string::npos);
  EXPECT_NE(parser.parse("42").error().message.find("not a Defender streaming message"), std::string::npos);
  auto empty = parser.parse(R"({"records":[]})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->alerts.empty());
}

TEST(FileHash, NormalizesAndValidates) {
  EXPECT_EQ(*normalize_hash(HashType::kMd5, "0123456789ABCDEF0123456789abcdef"), "0123456789abcdef0123456789abcdef");
  EXPECT_FALSE(normalize_hash(HashType::kSha1, std::string(39, 'a')).ok());
  EXPECT_FALSE(normalize_hash(HashType::kSha256, std::string(64, '0')).ok());
  EXPECT_FALSE(normalize_hash(HashType::kSha1, std::string(39, 'a') + " ").ok());
}

}  // namespace
}  // namespace sb::defender
