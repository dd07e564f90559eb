// Tests for the synthetic Spectra Detect report generator and the deterministic PRNG behind it.
#include "tools/generators/report_generator.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/hash.hpp"
#include "core/prng.hpp"

namespace sb::tools {
namespace {

constexpr uint64_t kSeed = 1;
constexpr int kSampleReports = 100;
constexpr int kMixReports = 200;

// ---------------------------------------------------------------------------------------------
// Helpers over simdjson's DOM. value() throws on a wrong type, which GoogleTest reports as a failure;
// the results are copied out of simdjson's temporaries so range-for loops never see a dangling one.

// Json is a dom::element or a simdjson_result of one.
template <typename Json>
simdjson::dom::array array_of(Json json) {
  return json.get_array().value();
}
template <typename Json>
simdjson::dom::object object_of(Json json) {
  return json.get_object().value();
}

std::vector<std::string> keys_of(simdjson::dom::object object) {
  std::vector<std::string> keys;
  for (auto field : object) keys.emplace_back(field.key);
  return keys;
}

//! The string value, or "" when missing or not a string.
template <typename Json>
std::string text(Json json) {
  std::string_view view;
  if (json.get_string().get(view) != simdjson::SUCCESS) return {};
  return std::string(view);
}

//! The integer value, or -1 when missing or not an integer.
template <typename Json>
int64_t integer(Json json) {
  int64_t value = -1;
  if (json.get_int64().get(value) != simdjson::SUCCESS) return -1;
  return value;
}

bool is_lower_hex(std::string_view value, size_t length) {
  return value.size() == length && std::all_of(value.begin(), value.end(),
                                               [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

//! The test's own reading of the flat-view rules, applied to a nested entry: (key, minified value)
//! in walk order. Kept independent of the generator so the two can disagree.
void flatten(const std::string& prefix, simdjson::dom::element value,
             std::vector<std::pair<std::string, std::string>>& out) {
  const auto join = [&](std::string_view key) {
    return prefix.empty() ? std::string(key) : prefix + "_" + std::string(key);
  };
  simdjson::dom::object object;
  if (value.get_object().get(object) == simdjson::SUCCESS) {
    for (auto field : object) flatten(join(field.key), field.value, out);
    return;
  }
  simdjson::dom::array array;
  if (value.get_array().get(array) == simdjson::SUCCESS) {
    const bool named = array.size() > 0 && std::all_of(array.begin(), array.end(), [](simdjson::dom::element item) {
                         return item.is_object() && item["name"].is_string();
                       });
    if (named) {
      for (auto item : array) {
        const std::string keyed = join(text(item["name"]));
        simdjson::dom::object members = object_of(item);
        if (members.size() == 2 && !members["value"].error()) {
          flatten(keyed, members["value"].value(), out);
          continue;
        }
        for (auto field : members) {
          if (field.key != "name") flatten(keyed + "_" + std::string(field.key), field.value, out);
        }
      }
      return;
    }
    size_t i = 0;
    for (auto item : array) flatten(join(std::to_string(i++)), item, out);
    return;
  }
  out.emplace_back(prefix, simdjson::minify(value));
}

//! The first `count` nested reports of kSeed, generated once per process: hashing the files is
//! the expensive part, and several tests read the same reports.
std::span<const std::string> samples(int count) {
  static std::vector<std::string> reports;
  ReportGeneratorOptions options;
  options.seed = kSeed;
  const auto wanted = static_cast<size_t>(count);
  while (reports.size() < wanted) reports.push_back(generate_report(options, reports.size()));
  return {reports.data(), wanted};
}

// ---------------------------------------------------------------------------------------------
// PRNG.

TEST(Prng, SplitmixMatchesReferenceOutput) {
  uint64_t state = 0;
  EXPECT_EQ(core::splitmix64(state), 0xe220a8397b1dcdafULL);
}

TEST(Prng, XoshiroSequenceIsFixedForASeed) {
  // Reference values from an independent implementation; a change here changes every generated file.
  core::Prng rng(1);
  EXPECT_EQ(rng.next_u64(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(rng.next_u64(), 0x853b559647364ceaULL);
  EXPECT_EQ(rng.next_u64(), 0x92f89756082a4514ULL);
}

TEST(Prng, UniformStaysInRangeAndReachesBothEnds) {
  core::Prng rng(42);
  std::set<int64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const int64_t value = rng.uniform(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 7U);
  EXPECT_EQ(rng.uniform(5, 5), 5);
  for (int i = 0; i < 1000; ++i) {
    const double real = rng.uniform_double(2.0, 3.0);
    ASSERT_GE(real, 2.0);
    ASSERT_LT(real, 3.0);
  }
}

TEST(Prng, ChanceAndPickBehave) {
  core::Prng rng(7);
  int hits = 0;
  for (int i = 0; i < 10000; ++i) {
    EXPECT_FALSE(rng.chance(0.0));
    EXPECT_TRUE(rng.chance(1.0));
    if (rng.chance(0.25)) ++hits;
  }
  EXPECT_NEAR(hits, 2500, 250);
  constexpr std::array kItems = {10, 20, 30};
  std::set<int> picked;
  for (int i = 0; i < 100; ++i) picked.insert(rng.pick(kItems));
  EXPECT_EQ(picked.size(), kItems.size());
}

// ---------------------------------------------------------------------------------------------
// Reports.

TEST(ReportGenerator, SameInputsGiveSameBytes) {
  ReportGeneratorOptions options;
  options.seed = 99;
  for (const uint64_t n : std::array<uint64_t, 3>{0, 1, 17}) {
    EXPECT_EQ(generate_report(options, n), generate_report(options, n));
  }
  EXPECT_NE(generate_report(options, 0), generate_report(options, 1));
  ReportGeneratorOptions other = options;
  other.seed = 100;
  EXPECT_NE(generate_report(options, 0), generate_report(other, 0));
  options.flat_view = true;
  EXPECT_EQ(generate_report(options, 3), generate_report(options, 3));
}

TEST(ReportGenerator, ReportBytesArePinned) {
  // Pins the output for every compiler and platform: a change here breaks reproducing old test data
  // and benchmarks. Update the digests only for an intended change of the generated reports.
  ReportGeneratorOptions options;
  options.seed = kSeed;
  EXPECT_EQ(core::hex_digest(core::Digest::kSha256, generate_report(options, 0)),
            "b6e58ff47049580898a0a440f5c333eadd49e191b98c573e5e01be11010111bf");
  options.flat_view = true;
  EXPECT_EQ(core::hex_digest(core::Digest::kSha256, generate_report(options, 0)),
            "ce4ef4bfe2fec27e9d79166a636f0657bfdae3c777c13210b150593d39456695");
}

TEST(ReportGenerator, EveryReportIsOneLineOfValidJson) {
  simdjson::dom::parser parser;
  for (const auto& report : samples(kSampleReports)) {
    ASSERT_FALSE(report.empty());
    EXPECT_EQ(report.back(), '\n');
    EXPECT_EQ(std::count(report.begin(), report.end(), '\n'), 1);
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(report).get(doc), simdjson::SUCCESS);
    simdjson::dom::array entries;
    ASSERT_EQ(doc["tc_report"].get_array().get(entries), simdjson::SUCCESS);
    EXPECT_GE(entries.size(), 1U);
  }
  ReportGeneratorOptions flat;
  flat.flat_view = true;
  for (uint64_t n = 0; n < 20; ++n) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(generate_report(flat, n)).get(doc), simdjson::SUCCESS);
  }
}

TEST(ReportGenerator, TopLevelKeysFollowTheReportOrder) {
  const std::vector<std::string> canonical = {"submitted",      "task_id",         "processed",     "worker_ip",
                                              "worker_address", "worker_hostname", "direct_sender", "forwarded_for",
                                              "custom_data",    "tc_report"};
  const std::vector<std::string> old_style = {"submitted", "task_id", "processed", "tc_report"};
  simdjson::dom::parser parser;
  int old_reports = 0;
  int string_numbers = 0;
  int with_custom_data = 0;
  for (const auto& report : samples(kSampleReports)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(report).get(doc), simdjson::SUCCESS);
    const auto keys = keys_of(object_of(doc));
    if (keys == old_style) ++old_reports;
    if (std::find(keys.begin(), keys.end(), "custom_data") != keys.end()) ++with_custom_data;
    // Keys appear in canonical order (a subsequence of it).
    auto cursor = canonical.begin();
    for (const auto& key : keys) {
      cursor = std::find(cursor, canonical.end(), key);
      ASSERT_NE(cursor, canonical.end()) << key << " out of order in " << report.substr(0, 200);
    }
    if (doc["submitted"].is_string()) {
      ++string_numbers;
      const std::string submitted = text(doc["submitted"]);
      EXPECT_EQ(std::to_string(std::stoll(submitted)), submitted);
    }
    int64_t submitted = 0;
    int64_t processed = 0;
    if (doc["submitted"].get_int64().get(submitted) == simdjson::SUCCESS &&
        doc["processed"].get_int64().get(processed) == simdjson::SUCCESS) {
      EXPECT_GE(submitted, 1704067200);  // 2024-01-01
      EXPECT_LT(submitted, 1798761600);  // 2027-01-01
      EXPECT_GE(processed, submitted);
      EXPECT_LE(processed, submitted + 600);
    }
  }
  EXPECT_GT(old_reports, kSampleReports / 25);
  EXPECT_LT(old_reports, kSampleReports / 5);
  EXPECT_GT(string_numbers, 0);
  EXPECT_LT(string_numbers, kSampleReports / 10);
  EXPECT_GT(with_custom_data, 0);
}

TEST(ReportGenerator, EntriesHaveTheNestedKeyOrder) {
  const std::vector<std::string> root_keys = {"index",    "classification", "indicators", "info", "interesting_strings",
                                              "metadata", "story",          "tags"};
  std::vector<std::string> child_keys = root_keys;
  child_keys.insert(child_keys.begin() + 1, "parent");
  const std::vector<std::string> scan_keys = {"classification", "factor", "ignored", "name",
                                              "rca_factor",     "result", "type",    "version"};
  const std::vector<std::string> file_keys = {"entropy",   "file_name", "file_path", "file_subtype",
                                              "file_type", "hashes",    "size"};
  simdjson::dom::parser parser;
  for (size_t r = 0; r < 20; ++r) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(samples(kSampleReports)[r]).get(doc), simdjson::SUCCESS);
    for (auto entry : array_of(doc["tc_report"])) {
      auto expected_keys = integer(entry["index"]) == 0 ? root_keys : child_keys;
      // A file without interesting strings omits the key (the flat view cannot express an empty array).
      if (entry["interesting_strings"].error() == simdjson::NO_SUCH_FIELD) {
        expected_keys.erase(std::find(expected_keys.begin(), expected_keys.end(), "interesting_strings"));
      }
      EXPECT_EQ(keys_of(object_of(entry)), expected_keys);
      const auto classification_keys = keys_of(object_of(entry["classification"]));
      const bool propagated = entry["classification"]["propagated"].get_bool().value();
      std::vector<std::string> expected = {"classification", "factor", "propagated",
                                           "rca_factor",     "result", "scan_results"};
      if (propagated) expected.insert(expected.begin() + 3, "propagation_source");
      EXPECT_EQ(classification_keys, expected);
      for (auto scan : array_of(entry["classification"]["scan_results"])) {
        EXPECT_EQ(keys_of(object_of(scan)), scan_keys);
      }
      EXPECT_EQ(keys_of(object_of(entry["info"]["file"])), file_keys);
      for (auto indicator : array_of(entry["indicators"])) {
        EXPECT_EQ(keys_of(object_of(indicator)),
                  (std::vector<std::string>{"priority", "category", "description", "id", "relevance", "reasons"}));
      }
    }
  }
}

TEST(ReportGenerator, IndexParentAndPathsAreConsistent) {
  simdjson::dom::parser parser;
  int nested_two_levels = 0;
  for (const auto& report : samples(kSampleReports)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(report).get(doc), simdjson::SUCCESS);
    std::vector<std::string> paths;
    int64_t position = 0;
    for (auto entry : array_of(doc["tc_report"])) {
      ASSERT_EQ(integer(entry["index"]), position);
      const std::string path = text(entry["info"]["file"]["file_path"]);
      if (position == 0) {
        EXPECT_EQ(entry["parent"].error(), simdjson::NO_SUCH_FIELD);
      } else {
        const int64_t parent = integer(entry["parent"]);
        ASSERT_GE(parent, 0);
        ASSERT_LT(parent, position);
        const std::string& parent_path = paths[static_cast<size_t>(parent)];
        EXPECT_EQ(path.rfind(parent_path + "/", 0), 0U) << path << " not under " << parent_path;
        if (parent > 0) ++nested_two_levels;
      }
      paths.push_back(path);
      ++position;
    }
  }
  EXPECT_GT(nested_two_levels, 0);
}

TEST(ReportGenerator, HashesAreLowerCaseHexInFixedOrder) {
  simdjson::dom::parser parser;
  for (size_t r = 0; r < 40; ++r) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(samples(kSampleReports)[r]).get(doc), simdjson::SUCCESS);
    for (auto entry : array_of(doc["tc_report"])) {
      std::vector<std::string> names;
      for (auto hash : array_of(entry["info"]["file"]["hashes"])) {
        const std::string name = text(hash["name"]);
        const std::string value = text(hash["value"]);
        names.push_back(name);
        const size_t length = name == "md5" ? 32 : name == "sha1" ? 40 : 64;
        EXPECT_TRUE(is_lower_hex(value, length)) << name << "=" << value;
      }
      EXPECT_EQ(names, (std::vector<std::string>{"md5", "sha1", "sha256"}));
    }
  }
}

TEST(ReportGenerator, PoolFilesCarryTheDigestsOfTheirBytes) {
  for (const uint64_t k : std::array<uint64_t, 5>{0, 1, 2, 500, kPoolSize - 1}) {
    const PoolFile file = pool_file(kSeed, k);
    const std::string bytes = pool_file_bytes(kSeed, k);
    const core::FileDigests digests = core::file_digests(bytes);
    EXPECT_EQ(file.md5, digests.md5);
    EXPECT_EQ(file.sha1, digests.sha1);
    EXPECT_EQ(file.sha256, digests.sha256);
    EXPECT_EQ(file.size, bytes.size());
    EXPECT_GE(file.size, 200U);
    EXPECT_LT(file.size, 2U * 1024 * 1024);
    EXPECT_GE(file.classification, 0);
    EXPECT_LE(file.classification, 3);
    EXPECT_EQ(file.threat_name.empty(), file.classification < 2);
    EXPECT_FALSE(file.file_name.empty());
    EXPECT_FALSE(file.file_type.empty());
    EXPECT_EQ(pool_file(kSeed, k).sha256, file.sha256);
  }
  EXPECT_NE(pool_file(kSeed, 0).sha1, pool_file(kSeed + 1, 0).sha1);
}

TEST(ReportGenerator, ReportsReuseFilesFromThePool) {
  std::set<std::string> pool_sha1;
  for (uint64_t k = 0; k < kPoolSize; ++k) pool_sha1.insert(pool_file(kSeed, k).sha1);
  EXPECT_EQ(pool_sha1.size(), kPoolSize);  // every pool file is distinct
  simdjson::dom::parser parser;
  std::map<std::string, int> reports_per_sha1;
  int from_pool = 0;
  int entries = 0;
  for (const auto& report : samples(kSampleReports)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(report).get(doc), simdjson::SUCCESS);
    std::set<std::string> in_report;
    for (auto entry : array_of(doc["tc_report"])) {
      const std::string sha1 = text(entry["info"]["file"]["hashes"].at(1)["value"]);
      ++entries;
      if (pool_sha1.count(sha1) != 0) ++from_pool;
      in_report.insert(sha1);
    }
    for (const auto& sha1 : in_report) ++reports_per_sha1[sha1];
  }
  const auto recurring =
      std::count_if(reports_per_sha1.begin(), reports_per_sha1.end(), [](const auto& item) { return item.second > 1; });
  EXPECT_GT(recurring, 50);
  EXPECT_GT(from_pool, entries / 5);
  EXPECT_LT(from_pool, entries * 3 / 4);
}

TEST(ReportGenerator, ClassificationMixIsPlausible) {
  simdjson::dom::parser parser;
  std::array<int, 4> counts{};
  int total = 0;
  int propagated = 0;
  for (const auto& report : samples(kMixReports)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(report).get(doc), simdjson::SUCCESS);
    std::map<std::string, int64_t> class_by_sha1;
    std::vector<std::pair<int64_t, std::string>> sources;
    for (auto entry : array_of(doc["tc_report"])) {
      auto classification = entry["classification"];
      const int64_t value = integer(classification["classification"]);
      ASSERT_GE(value, 0);
      ASSERT_LE(value, 3);
      ++counts[static_cast<size_t>(value)];
      ++total;
      const std::string result = text(classification["result"]);
      if (value >= 2) {
        EXPECT_FALSE(result.empty());
        EXPECT_EQ(std::count(result.begin(), result.end(), '.') >= 2, true) << result;
      }
      class_by_sha1[text(entry["info"]["file"]["hashes"].at(1)["value"])] = value;
      if (classification["propagated"].get_bool().value()) {
        ++propagated;
        EXPECT_GE(value, 2);
        EXPECT_EQ(text(classification["propagation_source"]["name"]), "sha1");
        sources.emplace_back(value, text(classification["propagation_source"]["value"]));
      }
      std::set<std::string> names;
      int engines = 0;
      for (auto scan : array_of(classification["scan_results"])) {
        const std::string name = text(scan["name"]);
        EXPECT_TRUE(names.insert(name).second) << "duplicate scanner " << name;
        for (const char* field :
             {"_classification", "_factor", "_ignored", "_rca_factor", "_result", "_type", "_version", "_name"}) {
          const std::string_view suffix(field);
          EXPECT_FALSE(name.size() > suffix.size() && name.ends_with(suffix)) << name;
        }
        if (text(scan["type"]) == "av" && name != "Antivirus (based on the RCA Classify)") {
          ++engines;
          EXPECT_EQ(integer(scan["classification"]), 0);
        }
      }
      EXPECT_GE(engines, 10);
      EXPECT_LE(engines, 30);
      const auto indicator_count = array_of(entry["indicators"]).size();
      EXPECT_GE(indicator_count, 3U);
      EXPECT_LE(indicator_count, 15U);
    }
    // The propagation source is a file of the same report with the verdict that was carried up.
    for (const auto& [value, sha1] : sources) {
      ASSERT_EQ(class_by_sha1.count(sha1), 1U) << sha1;
      EXPECT_EQ(class_by_sha1[sha1], value);
    }
  }
  const auto share = [&](int c) { return static_cast<double>(counts[static_cast<size_t>(c)]) / total; };
  EXPECT_GT(share(1), 0.45);
  EXPECT_GT(share(0), 0.05);
  EXPECT_LT(share(0), 0.35);
  EXPECT_GT(share(2), 0.04);
  EXPECT_LT(share(2), 0.18);
  EXPECT_GT(share(3), 0.04);
  EXPECT_LT(share(3), 0.16);
  EXPECT_GT(propagated, 0);
}

TEST(ReportGenerator, ChildrenRangeIsRespected) {
  ReportGeneratorOptions options;
  options.children_min = 3;
  options.children_max = 5;
  simdjson::dom::parser parser;
  for (uint64_t n = 0; n < 30; ++n) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(generate_report(options, n)).get(doc), simdjson::SUCCESS);
    const size_t files = array_of(doc["tc_report"]).size();
    EXPECT_GE(files, 4U);
    EXPECT_LE(files, 6U);
  }
  options.children_min = 0;
  options.children_max = 0;
  for (uint64_t n = 0; n < 10; ++n) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(generate_report(options, n)).get(doc), simdjson::SUCCESS);
    EXPECT_EQ(array_of(doc["tc_report"]).size(), 1U);
  }
  size_t files = 0;
  for (const auto& report : samples(kSampleReports)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(report).get(doc), simdjson::SUCCESS);
    const size_t count = array_of(doc["tc_report"]).size();
    EXPECT_LE(count, 41U);
    files += count;
  }
  EXPECT_NEAR(static_cast<double>(files) / kSampleReports, 21.0, 3.0);
}

TEST(ReportGenerator, FlatViewIsTheNestedReportFlattened) {
  ReportGeneratorOptions nested_options;
  nested_options.seed = kSeed;
  ReportGeneratorOptions flat_options = nested_options;
  flat_options.flat_view = true;
  simdjson::dom::parser nested_parser;
  simdjson::dom::parser flat_parser;
  int checked = 0;
  for (uint64_t n = 0; n < 12; ++n) {
    simdjson::dom::element nested;
    simdjson::dom::element flat;
    ASSERT_EQ(nested_parser.parse(generate_report(nested_options, n)).get(nested), simdjson::SUCCESS);
    ASSERT_EQ(flat_parser.parse(generate_report(flat_options, n)).get(flat), simdjson::SUCCESS);
    EXPECT_EQ(keys_of(object_of(nested)), keys_of(object_of(flat)));
    for (auto field : object_of(nested)) {
      if (field.key != "tc_report") {
        EXPECT_EQ(simdjson::minify(field.value), simdjson::minify(flat[field.key]));
      }
    }
    auto nested_entries = array_of(nested["tc_report"]);
    auto flat_entries = array_of(flat["tc_report"]);
    ASSERT_EQ(nested_entries.size(), flat_entries.size());
    for (size_t i = 0; i < nested_entries.size(); ++i) {
      simdjson::dom::element nested_entry = nested_entries.at(i).value();
      simdjson::dom::element flat_entry = flat_entries.at(i).value();
      std::vector<std::pair<std::string, std::string>> expected;
      for (auto field : object_of(nested_entry)) {
        if (field.key == "tags") {
          expected.emplace_back("tags", simdjson::minify(field.value));
        } else {
          flatten(std::string(field.key), field.value, expected);
        }
      }
      std::vector<std::pair<std::string, std::string>> actual;
      for (auto field : object_of(flat_entry)) {
        actual.emplace_back(std::string(field.key), simdjson::minify(field.value));
      }
      ASSERT_EQ(actual, expected) << "report " << n << " entry " << i;

      EXPECT_EQ(text(flat_entry["info_file_hashes_sha1"]), text(nested_entry["info"]["file"]["hashes"].at(1)["value"]));
      EXPECT_EQ(text(flat_entry["classification_scan_results_TitaniumCore RHA1_type"]) +
                    text(flat_entry["classification_scan_results_TitaniumCore Graylisting_type"]),
                "internal");
      EXPECT_TRUE(flat_entry["tags"].is_array());
      EXPECT_TRUE(flat_entry["story_0_caption"].is_string());
      EXPECT_TRUE(flat_entry["indicators_0_reasons_0_category"].is_string());
      EXPECT_TRUE(flat_entry["metadata_application_capabilities"].is_int64());
      EXPECT_EQ(flat_entry["parent"].error() == simdjson::NO_SUCH_FIELD, i == 0);
      ++checked;
    }
  }
  EXPECT_GT(checked, 12);
}

}  // namespace
}  // namespace sb::tools
