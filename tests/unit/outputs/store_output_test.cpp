// The store output and the store schema: idempotent inserts by record_id, batch commits, columns, indexes, WAL.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "detect/report_parser.hpp"
#include "detect/schema.hpp"
#include "outputs/store_output.hpp"
#include "support/test_support.hpp"

namespace sb::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTime = "2026-11-23T12:00:00.000Z";
constexpr std::string_view kNestedSample = "tiscale_response.json";
constexpr std::string_view kFlatSample = "sdk_py3_test_tiscale_flat_view_result.json";

std::vector<detect::Row> sample_rows(std::string_view name, std::string_view time = kTime) {
  std::string bytes = test::read_text(test::samples_dir() / "spectra-detect" / std::string(name));
  detect::ReportParser parser;
  auto parsed = parser.parse(bytes, time);
  EXPECT_TRUE(parsed.ok()) << name << ": " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? parsed->rows : std::vector<detect::Row>{};
}

//! A second, independent connection: sees only what the sink committed.
class Reader {
 public:
  explicit Reader(const fs::path& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << path;
  }
  ~Reader() { sqlite3_close_v2(db_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  //! Every row of the query's result as text cells.
  std::vector<std::vector<std::string>> query(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return rows;
    }
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text == nullptr ? "<null>" : reinterpret_cast<const char*>(text));
      }
      rows.push_back(std::move(row));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }

  std::string scalar(const std::string& sql) {
    const auto rows = query(sql);
    if (rows.empty() || rows[0].empty()) {
      ADD_FAILURE() << "no result: " << sql;
      return {};
    }
    return rows[0][0];
  }

  int64_t count(const std::string& table) { return std::stoll(scalar("SELECT COUNT(*) FROM " + table)); }

 private:
  sqlite3* db_ = nullptr;
};

class StoreSinkTest : public ::testing::Test {
 protected:
  fs::path store_path() const { return dir_.path() / "data" / "store.db"; }

  std::unique_ptr<engine::Output<detect::Row>> open_sink() {
    auto sink = outputs::make_store_output<detect::Row>(store_path());
    EXPECT_TRUE(sink.ok()) << (sink.ok() ? "" : sink.error().message);
    return sink.ok() ? std::move(sink).value() : nullptr;
  }

  static void write_and_flush(engine::Output<detect::Row>& sink, const std::vector<detect::Row>& rows) {
    auto written = sink.write(rows);
    ASSERT_TRUE(written.ok()) << written.error().message;
    auto flushed = sink.flush();
    ASSERT_TRUE(flushed.ok()) << flushed.error().message;
  }

  test::TempDir dir_;
};

TEST_F(StoreSinkTest, WritingTheSameRowsTwiceAddsNothingAndCountsDuplicates) {
  auto sink = open_sink();
  ASSERT_NE(sink, nullptr);
  auto rows = sample_rows(kNestedSample);
  const auto flat = sample_rows(kFlatSample);
  rows.insert(rows.end(), flat.begin(), flat.end());
  ASSERT_EQ(rows.size(), 2u);

  write_and_flush(*sink, rows);
  Reader reader(store_path());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 2);
  EXPECT_EQ(sink->counters().duplicates, 0u);

  write_and_flush(*sink, rows);
  EXPECT_EQ(reader.count("spectra_detect_logs"), 2);
  EXPECT_EQ(sink->counters().duplicates, 2u);
}

TEST_F(StoreSinkTest, SameReportIngestedLaterWithNewTimeGeneratedIsStillADuplicate) {
  auto sink = open_sink();
  ASSERT_NE(sink, nullptr);
  write_and_flush(*sink, sample_rows(kNestedSample, "2026-01-01T00:00:00.000Z"));
  write_and_flush(*sink, sample_rows(kNestedSample, "2026-06-30T23:59:59.999Z"));
  Reader reader(store_path());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 1);
  EXPECT_EQ(reader.scalar("SELECT TimeGenerated FROM spectra_detect_logs"), "2026-01-01T00:00:00.000Z")
      << "the first ingestion must be kept";
  EXPECT_EQ(sink->counters().duplicates, 1u);
}

TEST_F(StoreSinkTest, DuplicatesInsideOneBatchAreDroppedAndCounted) {
  auto sink = open_sink();
  ASSERT_NE(sink, nullptr);
  const auto rows = sample_rows(kFlatSample);
  ASSERT_TRUE(sink->write(rows).ok());
  ASSERT_TRUE(sink->write(rows).ok());
  ASSERT_TRUE(sink->flush().ok());
  Reader reader(store_path());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 1);
  EXPECT_EQ(sink->counters().duplicates, 1u);
}

TEST_F(StoreSinkTest, ReopenedStoreStillDropsReplays) {
  {
    auto sink = open_sink();
    ASSERT_NE(sink, nullptr);
    write_and_flush(*sink, sample_rows(kNestedSample));
  }
  auto sink = open_sink();
  ASSERT_NE(sink, nullptr);
  write_and_flush(*sink, sample_rows(kNestedSample));
  write_and_flush(*sink, sample_rows(kFlatSample));
  Reader reader(store_path());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 2);
  EXPECT_EQ(sink->counters().duplicates, 1u);
}

TEST_F(StoreSinkTest, RowsBecomeVisibleOnlyWhenTheBatchIsFlushed) {
  auto sink = open_sink();
  ASSERT_NE(sink, nullptr);
  Reader reader(store_path());
  // Kept alive until the flush: the sink holds pointers to the rows, not copies.
  const auto nested = sample_rows(kNestedSample);
  const auto flat = sample_rows(kFlatSample);
  ASSERT_TRUE(sink->write(nested).ok());
  ASSERT_TRUE(sink->write(flat).ok());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 0) << "rows visible before the batch was committed";
  ASSERT_TRUE(sink->flush().ok());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 2);
  EXPECT_TRUE(sink->flush().ok()) << "flushing an empty batch must succeed";
}

TEST_F(StoreSinkTest, TableColumnsFollowTheSchemaInOrderThenDerivedColumns) {
  ASSERT_NE(open_sink(), nullptr);
  Reader reader(store_path());
  std::vector<std::string> names;
  std::map<std::string, std::string> types;
  for (const auto& row : reader.query("PRAGMA table_info(spectra_detect_logs)")) {
    names.push_back(row[1]);
    types[row[1]] = row[2];
  }
  std::vector<std::string> schema_names;
  for (const auto& column : detect::kColumns) schema_names.emplace_back(column.name);

  // The schema's columns appear contiguously and in schema order.
  const auto first = std::find(names.begin(), names.end(), schema_names.front());
  ASSERT_NE(first, names.end()) << "no " << schema_names.front() << " column";
  ASSERT_GE(static_cast<size_t>(names.end() - first), schema_names.size());
  EXPECT_EQ(std::vector<std::string>(first, first + static_cast<std::ptrdiff_t>(schema_names.size())), schema_names);
  for (const auto& column : detect::kColumns) {
    const std::string expected = column.type == detect::ColumnType::kInt ? "INTEGER" : "TEXT";
    EXPECT_EQ(types[std::string(column.name)], expected) << column.name;
  }
  // Derived lookup columns the dashboard and the scanner search by.
  for (const auto* derived : {"sha1", "sha256", "md5", "verdict", "threat_name", "file_name", "file_type"}) {
    EXPECT_TRUE(types.contains(derived)) << "missing derived column " << derived;
  }
}

TEST_F(StoreSinkTest, IndexesCoverTimeTaskClassificationAndHashesAndRecordIdIsUnique) {
  ASSERT_NE(open_sink(), nullptr);
  Reader reader(store_path());
  std::set<std::string> indexed;         // leading column of every index
  std::set<std::string> unique_indexed;  // leading column of every UNIQUE index
  for (const auto& index : reader.query("PRAGMA index_list(spectra_detect_logs)")) {
    const auto columns = reader.query("PRAGMA index_info(\"" + index[1] + "\")");
    ASSERT_FALSE(columns.empty()) << index[1];
    indexed.insert(columns[0][2]);
    if (index[2] == "1") unique_indexed.insert(columns[0][2]);
  }
  for (const auto* column : {"TimeGenerated", "task_id", "sha1", "sha256"}) {
    EXPECT_TRUE(indexed.contains(column)) << "no index on " << column;
  }
  EXPECT_TRUE(indexed.contains("verdict") || indexed.contains("classification"))
      << "no index on the classification (verdict)";
  EXPECT_TRUE(unique_indexed.contains("record_id")) << "record_id has no UNIQUE index";
}

TEST_F(StoreSinkTest, StoreUsesWriteAheadLogging) {
  ASSERT_NE(open_sink(), nullptr);
  Reader reader(store_path());
  EXPECT_EQ(reader.scalar("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreSinkTest, JsonColumnsHoldJsonTextAndDerivedColumnsAreFilled) {
  auto sink = open_sink();
  ASSERT_NE(sink, nullptr);
  write_and_flush(*sink, sample_rows(kNestedSample));
  write_and_flush(*sink, sample_rows(kFlatSample));
  Reader reader(store_path());
  const auto rows = reader.query(
      "SELECT task_id, typeof(submitted), json_valid(info), json_type(classification), "
      "json_extract(info, '$.file.file_type'), sha1, sha256, verdict, typeof(\"index\"), length(record_id) "
      "FROM spectra_detect_logs ORDER BY task_id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "119", "integer", "1", "object", "Text", "59d471a86f1a2ab253db68d5086033a07e5210e2",
                         "6b3f75ef9b043a4f002e22a854a86fc9e496bc6bbc1f116761528d5dfbfc6fce", "1", "integer", "64"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{
                         "15794", "integer", "1", "object", "PE", "848899ad7d2afabfb64806cc9ef8d7d1a3f77641",
                         "91ad1155d57e91caa994da40fff6048eb8c10fcf9a6c1b7d5a393f605d718acc", "3", "integer", "64"}));
  EXPECT_EQ(reader.scalar("SELECT json_type(worker_ip) FROM spectra_detect_logs WHERE task_id = '119'"), "array");
  EXPECT_EQ(reader.scalar("SELECT json_type(tags) FROM spectra_detect_logs WHERE task_id = '119'"), "array");
  EXPECT_EQ(reader.scalar("SELECT worker_ip IS NULL FROM spectra_detect_logs WHERE task_id = '15794'"), "1")
      << "a missing dynamic value must be NULL, not the text 'null'";
}

TEST_F(StoreSinkTest, DeadLetterIsRecordedWithReasonAndOffset) {
  auto dead_letters = outputs::make_store_dead_letters(store_path(), "ingest");
  ASSERT_TRUE(dead_letters.ok());
  const core::Error reason = core::Error::at("invalid UTF-8 at byte 22", 22);
  ASSERT_TRUE((*dead_letters)->record("folder", "inbox/bad.json", reason, "inbox/failed/bad.json", {}).ok());
  Reader reader(store_path());
  const auto rows = reader.query("SELECT pipeline, source, name, reason, byte_offset, location FROM dead_letters");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"ingest", "folder", "inbox/bad.json", "invalid UTF-8 at byte 22", "22",
                                               "inbox/failed/bad.json"}));
}

TEST_F(StoreSinkTest, StoreFileAndParentFolderAreCreated) {
  ASSERT_FALSE(fs::exists(store_path().parent_path()));
  ASSERT_NE(open_sink(), nullptr);
  EXPECT_TRUE(fs::exists(store_path()));
  Reader reader(store_path());
  EXPECT_EQ(reader.count("spectra_detect_logs"), 0);
  EXPECT_EQ(reader.count("dead_letters"), 0);
}

}  // namespace
}  // namespace sb::pipeline
