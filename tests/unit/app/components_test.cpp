// The registries drive the configuration: every registered component's keys are declared under its pipeline, the
// choice lists are the registries' names, and the README's configuration examples are valid configurations.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/settings.hpp"
#include "core/config.hpp"
#include "history/history_entry.hpp"
#include "outputs/output_entry.hpp"
#include "providers/provider_entry.hpp"
#include "sources/source_entry.hpp"
#include "support/test_support.hpp"

namespace sb::app {
namespace {

const core::KeySpec* key(const std::vector<core::KeySpec>& keys, std::string_view path) {
  for (const auto& spec : keys) {
    if (spec.path == path) return &spec;
  }
  return nullptr;
}

TEST(Components, TheChoiceListsAreTheRegistries) {
  const auto keys = all_config_keys();
  ASSERT_NE(key(keys, "ingest.source"), nullptr);
  EXPECT_EQ(key(keys, "ingest.source")->choices, (std::vector<std::string>{"folder", "stdin", "files"}));
  EXPECT_EQ(key(keys, "scan.source")->choices, (std::vector<std::string>{"folder", "stdin", "files", "event_hubs"}));
  EXPECT_EQ(key(keys, "scan.providers")->choices, providers::provider_registry().names());
  const auto rows = outputs::output_registry().names_where([](const auto& entry) { return bool(entry.rows); });
  const auto enrichments =
      outputs::output_registry().names_where([](const auto& entry) { return bool(entry.enrichments); });
  EXPECT_EQ(key(keys, "ingest.sinks")->choices, rows);
  EXPECT_EQ(key(keys, "scan.writers")->choices, enrichments);
  EXPECT_EQ(rows, (std::vector<std::string>{"store", "ndjson", "logs_ingestion"}));
  EXPECT_EQ(enrichments, (std::vector<std::string>{"store", "ndjson", "graph"}));
  ASSERT_NE(key(keys, "scan.history.backend"), nullptr);
  EXPECT_EQ(key(keys, "scan.history.backend")->choices, history::history_registry().names());
  EXPECT_EQ(history::history_registry().names(), (std::vector<std::string>{"sqlite", "azure_table"}));
}

TEST(Components, EveryComponentsKeysAreDeclaredUnderEachPipelineItServes) {
  const auto keys = all_config_keys();
  for (const auto& traits : {kIngestTraits, kScanTraits}) {
    for (const auto* source : sources::source_registry().entries()) {
      if (!sources::serves(*source, traits.name)) continue;
      const std::string section = std::string(traits.name) + "." + std::string(source->name);
      for (const auto& spec : source->keys(traits, section)) EXPECT_NE(key(keys, spec.path), nullptr) << spec.path;
    }
  }
  for (const auto* provider : providers::provider_registry().entries()) {
    for (const auto& spec : provider->keys("scan." + std::string(provider->name))) {
      EXPECT_NE(key(keys, spec.path), nullptr) << spec.path;
    }
  }
  for (const auto* backend : history::history_registry().entries()) {
    for (const auto& spec : backend->keys("scan.history." + std::string(backend->name))) {
      EXPECT_NE(key(keys, spec.path), nullptr) << spec.path;
    }
  }
  EXPECT_NE(key(keys, "scan.history.azure_table.account_key"), nullptr);
  EXPECT_EQ(key(keys, "scan.history.azure_table.account_key")->type, core::KeyType::kSecret);
  // A key that only a pipeline with pending inputs needs is left out elsewhere.
  EXPECT_NE(key(keys, "ingest.folder.pending_recheck_seconds"), nullptr);
  EXPECT_EQ(key(keys, "scan.folder.pending_recheck_seconds"), nullptr);
  EXPECT_EQ(key(keys, "scan.logs_ingestion.endpoint"), nullptr);
  EXPECT_EQ(key(keys, "ingest.graph.endpoint"), nullptr);
}

TEST(Components, EveryKeyHasADescription) {
  for (const auto& spec : all_config_keys()) EXPECT_FALSE(spec.description.empty()) << spec.path;
}

TEST(Components, TheReadmesConfigurationExamplesAreValidConfigurations) {
  const std::string readme = test::read_text(std::filesystem::path(SB_SOURCE_DIR) / "README.md");
  const std::regex block("```toml\n([\\s\\S]*?)```");
  test::TempDir dir;
  int checked = 0;
  for (std::sregex_iterator it(readme.begin(), readme.end(), block), end; it != end; ++it) {
    const auto file = dir.path() / ("example-" + std::to_string(checked++) + ".toml");
    test::write_file(file, (*it)[1].str());
    auto config = core::Config::load(all_config_keys(), file, {});
    EXPECT_TRUE(config.ok()) << "README example " << checked << ": " << (config ? "" : config.error().message) << "\n"
                             << (*it)[1].str();
  }
  EXPECT_GE(checked, 2);
}

}  // namespace
}  // namespace sb::app
