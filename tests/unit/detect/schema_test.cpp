// The schema is the single source of truth: columns match ARCHITECTURE.md, and deploy/ files match the generator.
#include <gtest/gtest.h>

#include "detect/schema.hpp"
#include "detect/schema_artifacts.hpp"
#include "support/test_support.hpp"

namespace sb::detect {
namespace {

TEST(Schema, ColumnsAndTypesAsDocumented) {
  const std::vector<std::pair<std::string_view, std::string_view>> expected = {{"TimeGenerated", "datetime"},
                                                                               {"task_id", "string"},
                                                                               {"submitted", "int"},
                                                                               {"processed", "int"},
                                                                               {"process_duration", "int"},
                                                                               {"direct_sender", "string"},
                                                                               {"worker_address", "dynamic"},
                                                                               {"worker_hostname", "string"},
                                                                               {"worker_ip", "dynamic"},
                                                                               {"forwarded_for", "dynamic"},
                                                                               {"info", "dynamic"},
                                                                               {"classification", "dynamic"},
                                                                               {"index", "int"},
                                                                               {"parent", "int"},
                                                                               {"story", "dynamic"},
                                                                               {"tags", "dynamic"},
                                                                               {"interesting_strings", "dynamic"},
                                                                               {"record_id", "string"}};
  ASSERT_EQ(expected.size(), kColumns.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(kColumns[i].name, expected[i].first);
    EXPECT_EQ(kql_type_name(kColumns[i].type), expected[i].second) << kColumns[i].name;
  }
}

TEST(Schema, DeployFilesAreGeneratedFromTheSchema) {
  const auto deploy = std::filesystem::path(SB_SOURCE_DIR) / "deploy";
  EXPECT_EQ(test::read_text(deploy / "SpectraDetectLogs_CL.table.json"), table_definition_json())
      << "regenerate: spectra-bridge gen schema --format table > deploy/SpectraDetectLogs_CL.table.json";
  EXPECT_EQ(test::read_text(deploy / "SpectraDetectLogs.dcr-stream.json"), dcr_stream_declaration_json())
      << "regenerate: spectra-bridge gen schema --format dcr > deploy/SpectraDetectLogs.dcr-stream.json";
}

TEST(Schema, ReadmeDocumentsEveryColumn) {
  const auto readme = test::read_text(std::filesystem::path(SB_SOURCE_DIR) / "README.md");
  EXPECT_NE(readme.find(schema_markdown()), std::string::npos)
      << "README.md must contain the output of: spectra-bridge gen schema --format markdown";
}

}  // namespace
}  // namespace sb::detect
