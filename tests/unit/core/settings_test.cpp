// core::Settings: a component's keys declared once, bound to its options struct, read back typed.
#include "core/settings.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace sb::core {
namespace {

using namespace std::chrono_literals;

struct Options {
  std::string name;
  std::string password;
  std::string url;
  int count = 0;
  double rate = 0;
  std::chrono::milliseconds wait{0};
  bool on = false;
  std::vector<std::string> items;
};

Settings<Options> table() {
  Settings<Options> settings;
  settings.text("name", &Options::name, "x", "A name.", {"x", "y"})
      .secret("password", &Options::password, "A secret.")
      .url("url", &Options::url, "https://example.com", "A service.")
      .number("count", &Options::count, 5, "A count.", 1, 10)
      .number("rate", &Options::rate, 2, "A rate.", 0, 100)
      .duration("wait_ms", &Options::wait, 250, "A wait.", 0, 1000)
      .flag("on", &Options::on, true, "A flag.")
      .list("items", &Options::items, {"a", "b"}, "A list.");
  return settings;
}

TEST(Settings, KeysCarryTheSectionTypesDefaultsAndChoices) {
  const auto keys = table().keys("pipeline.component");
  ASSERT_EQ(keys.size(), 8u);
  EXPECT_EQ(keys[0].path, "pipeline.component.name");
  EXPECT_EQ(keys[0].default_value, "\"x\"");
  EXPECT_EQ(keys[0].choices, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(keys[1].type, KeyType::kSecret);
  EXPECT_EQ(keys[2].type, KeyType::kUrl);
  EXPECT_EQ(keys[3].default_value, "5");
  EXPECT_EQ(keys[3].max, 10);
  EXPECT_EQ(keys[5].path, "pipeline.component.wait_ms");
  EXPECT_EQ(keys[6].default_value, "true");
  EXPECT_EQ(keys[7].default_value, R"(["a", "b"])");
  EXPECT_EQ(table().keys("")[0].path, "name");
}

TEST(Settings, ReadGivesTheDefaultsThenWhatTheFileAndEnvironmentSay) {
  auto defaults = Config::load(table().keys("c"), std::nullopt, {});
  ASSERT_TRUE(defaults) << defaults.error().message;
  auto options = table().read(*defaults, "c");
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->name, "x");
  EXPECT_EQ(options->count, 5);
  EXPECT_DOUBLE_EQ(options->rate, 2.0);
  EXPECT_EQ(options->wait, 250ms);
  EXPECT_TRUE(options->on);
  EXPECT_EQ(options->items, (std::vector<std::string>{"a", "b"}));

  const std::vector<std::string> env = {"SPECTRA_BRIDGE__C__COUNT=7", "SPECTRA_BRIDGE__C__WAIT_MS=9",
                                        "SPECTRA_BRIDGE__C__ITEMS=z", "SPECTRA_BRIDGE__C__PASSWORD=env:P"};
  auto changed = Config::load(table().keys("c"), std::nullopt, env);
  ASSERT_TRUE(changed) << changed.error().message;
  options = table().read(*changed, "c");
  ASSERT_TRUE(options);
  EXPECT_EQ(options->count, 7);
  EXPECT_EQ(options->wait, 9ms);
  EXPECT_EQ(options->items, std::vector<std::string>{"z"});
  EXPECT_EQ(options->password, "env:P");
}

TEST(Settings, AKeyThatWasNeverDeclaredCannotBeRead) {
  auto config = Config::load(table().keys("declared"), std::nullopt, {});
  ASSERT_TRUE(config);
  auto options = table().read(*config, "elsewhere");
  ASSERT_FALSE(options);
  EXPECT_NE(options.error().message.find("elsewhere.name is read but was never declared"), std::string::npos)
      << options.error().message;
}

TEST(Settings, ATableDeclaredTwiceOrSplitIsRefused) {
  auto keys = table().keys("c");
  auto twice = keys;
  twice.push_back(keys[0]);
  EXPECT_FALSE(Config::load(twice, std::nullopt, {}));
  auto split = table().keys("a");
  for (auto& key : table().keys("b")) split.push_back(key);
  split.push_back(table().keys("a.z")[0]);
  split.push_back(KeySpec{"a.late", KeyType::kBool, "true", "Declared apart from the rest of [a]."});
  auto apart = Config::load(split, std::nullopt, {});
  ASSERT_FALSE(apart);
  EXPECT_NE(apart.error().message.find("a.late"), std::string::npos) << apart.error().message;
}

}  // namespace
}  // namespace sb::core
