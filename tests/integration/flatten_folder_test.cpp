// `flatten FOLDER` reads the folder's report files in name order, skipping dot-files and *.tmp.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "support/test_support.hpp"

namespace sb::test {
namespace {

TEST(FlattenFolder, ReadsEveryReportFileInNameOrder) {
  TempDir dir;
  const auto folder = dir.path() / "reports";
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "b.json")
      << R"({"task_id": 2, "processed": 1, "tc_report": [{"index": 0}, {"index": 1, "parent": 0}]})";
  std::ofstream(folder / "a.json") << R"({"task_id": 1, "processed": 1, "tc_report": [{"index": 0}]})";
  std::ofstream(folder / ".hidden.json") << "not json";
  std::ofstream(folder / "partial.json.tmp") << "{";
  const auto result = run_binary({"flatten", folder.string()}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 3);
  EXPECT_LT(result.out.find(R"("task_id":"1")"), result.out.find(R"("task_id":"2")"));
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace sb::test
