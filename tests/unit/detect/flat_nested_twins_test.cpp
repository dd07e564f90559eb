// A generated report in the flat view and its nested twin give the same rows, column by column.
#include <gtest/gtest.h>

#include "detect/report_parser.hpp"
#include "tools/generators/report_generator.hpp"

namespace sb::detect {
namespace {

constexpr std::string_view kTime = "2026-11-23T12:00:00.000Z";
constexpr uint64_t kReports = 60;

std::vector<Row> rows_of(const tools::ReportGeneratorOptions& options, uint64_t n) {
  ReportParser parser;
  auto parsed = parser.parse(tools::generate_report(options, n), kTime);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? std::move(parsed->rows) : std::vector<Row>{};
}

TEST(FlatNestedTwins, SameRowsForBothViews) {
  for (const uint64_t seed : {1ULL, 42ULL}) {
    tools::ReportGeneratorOptions nested{seed, false, 0, 12};
    tools::ReportGeneratorOptions flat = nested;
    flat.flat_view = true;
    for (uint64_t n = 0; n < kReports; ++n) {
      const auto a = rows_of(nested, n);
      const auto b = rows_of(flat, n);
      ASSERT_EQ(a.size(), b.size()) << "seed " << seed << " report " << n;
      ASSERT_FALSE(a.empty());
      for (size_t r = 0; r < a.size(); ++r) {
        for (size_t c = 0; c < kColumnCount; ++c) {
          ASSERT_EQ(a[r].cells[c].kind, b[r].cells[c].kind) << kColumns[c].name << " row " << r << " report " << n;
          ASSERT_EQ(a[r].cells[c].text, b[r].cells[c].text) << kColumns[c].name << " row " << r << " report " << n;
          ASSERT_EQ(a[r].cells[c].integer, b[r].cells[c].integer) << kColumns[c].name << " row " << r;
        }
        EXPECT_EQ(a[r].facts.sha1, b[r].facts.sha1);
        EXPECT_EQ(a[r].facts.sha256, b[r].facts.sha256);
        EXPECT_EQ(a[r].facts.verdict, b[r].facts.verdict);
        EXPECT_EQ(a[r].facts.threat_name, b[r].facts.threat_name);
        EXPECT_EQ(a[r].facts.file_name, b[r].facts.file_name);
      }
    }
  }
}

TEST(FlatNestedTwins, GeneratedRowsCarryHashesAndConsistentParents) {
  const auto rows = rows_of(tools::ReportGeneratorOptions{3, false, 5, 10}, 0);
  ASSERT_GE(rows.size(), 6u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.facts.sha1.size(), 40u);
    EXPECT_EQ(row.facts.sha256.size(), 64u);
    EXPECT_EQ(row.facts.md5.size(), 32u);
    if (row[ColumnId::kIndex].integer == 0) {
      EXPECT_TRUE(row[ColumnId::kParent].is_null());
    } else {
      EXPECT_LT(row[ColumnId::kParent].integer, row[ColumnId::kIndex].integer);
    }
  }
}

}  // namespace
}  // namespace sb::detect
