// Configuration: defaults, TOML, environment overrides, validation, secret references, redaction.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "app/settings.hpp"
#include "core/config.hpp"
#include "core/secret.hpp"
#include "support/test_support.hpp"

namespace sb::core {
namespace {

const std::vector<KeySpec> kTestKeys = {
    KeySpec{"name", KeyType::kString, R"("x")", "A name."},
    KeySpec{"colour", KeyType::kString, R"("red")", "A colour.", {"red", "blue"}},
    KeySpec{"section.count", KeyType::kInt, "5", "A count.", {}, 1, 10},
    KeySpec{"section.list", KeyType::kStringList, R"(["a"])", "A list."},
    KeySpec{"section.flag", KeyType::kBool, "false", "A flag."},
    KeySpec{"section.password", KeyType::kSecret, R"("")", "A secret."},
};

//! The value of declared key `path` (the components read theirs through core::Settings).
template <typename T>
T value(const Config& config, std::string_view path) {
  const ConfigValue* found = config.find(path);
  EXPECT_NE(found, nullptr) << path;
  return found != nullptr ? std::get<T>(*found) : T{};
}

std::filesystem::path write_toml(const test::TempDir& dir, const std::string& text) {
  const auto path = dir.path() / "config.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  auto config = Config::load(kTestKeys, std::nullopt, {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(value<std::string>(*config, "name"), "x");
  EXPECT_EQ(value<int64_t>(*config, "section.count"), 5);
  EXPECT_EQ(value<std::vector<std::string>>(*config, "section.list"), std::vector<std::string>{"a"});
  EXPECT_FALSE(value<bool>(*config, "section.flag"));
}

TEST(Config, FileThenEnvironmentOverride) {
  test::TempDir dir;
  const auto file = write_toml(dir, "name = \"file\"\n[section]\ncount = 7\nlist = [\"b\", \"c\"]\n");
  const std::vector<std::string> env = {"SPECTRA_BRIDGE__SECTION__COUNT=9", "SPECTRA_BRIDGE__SECTION__LIST=d, e",
                                        "SPECTRA_BRIDGE__SECTION__FLAG=yes", "UNRELATED=1"};
  auto config = Config::load(kTestKeys, file, env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(value<std::string>(*config, "name"), "file");
  EXPECT_EQ(value<int64_t>(*config, "section.count"), 9);
  EXPECT_EQ(value<std::vector<std::string>>(*config, "section.list"), (std::vector<std::string>{"d", "e"}));
  EXPECT_TRUE(value<bool>(*config, "section.flag"));
  const auto effective = config->render_effective();
  EXPECT_NE(effective.find("count = 9  # SPECTRA_BRIDGE__SECTION__COUNT"), std::string::npos) << effective;
  EXPECT_NE(effective.find("name = \"file\"  # file"), std::string::npos) << effective;
}

TEST(Config, ListFromJsonEnvironmentValue) {
  auto config =
      Config::load(kTestKeys, std::nullopt, std::vector<std::string>{R"(SPECTRA_BRIDGE__SECTION__LIST=["x","y z"])"});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(value<std::vector<std::string>>(*config, "section.list"), (std::vector<std::string>{"x", "y z"}));
}

TEST(Config, UnknownKeyInFileIsAnError) {
  test::TempDir dir;
  auto config = Config::load(kTestKeys, write_toml(dir, "[section]\ncuont = 3\n"), {});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("unknown key \"section.cuont\""), std::string::npos);
}

TEST(Config, UnknownEnvironmentVariableIsAWarning) {
  auto config = Config::load(kTestKeys, std::nullopt, std::vector<std::string>{"SPECTRA_BRIDGE__NOPE=1"});
  ASSERT_TRUE(config.ok());
  ASSERT_EQ(config->warnings().size(), 1u);
  EXPECT_NE(config->warnings()[0].find("SPECTRA_BRIDGE__NOPE"), std::string::npos);
}

TEST(Config, ValidationErrorsNameTheKey) {
  test::TempDir dir;
  auto wrong_type = Config::load(kTestKeys, write_toml(dir, "[section]\ncount = \"many\"\n"), {});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("section.count: expected an integer"), std::string::npos);
  auto out_of_range =
      Config::load(kTestKeys, std::nullopt, std::vector<std::string>{"SPECTRA_BRIDGE__SECTION__COUNT=11"});
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.error().message.find("section.count: 11 is outside 1..10"), std::string::npos);
  auto bad_choice = Config::load(kTestKeys, std::nullopt, std::vector<std::string>{"SPECTRA_BRIDGE__COLOUR=green"});
  ASSERT_FALSE(bad_choice.ok());
  EXPECT_NE(bad_choice.error().message.find("\"green\" is not one of \"red\", \"blue\""), std::string::npos);
  auto syntax = Config::load(kTestKeys, write_toml(dir, "name = \n"), {});
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.error().message.find("config.toml:1:"), std::string::npos) << syntax.error().message;
}

TEST(Config, SecretsComeOnlyFromReferencesWhichAreShown) {
  auto literal =
      Config::load(kTestKeys, std::nullopt, std::vector<std::string>{"SPECTRA_BRIDGE__SECTION__PASSWORD=hunter2"});
  ASSERT_FALSE(literal.ok());
  EXPECT_NE(literal.error().message.find("section.password: must be a secret reference"), std::string::npos)
      << literal.error().message;
  EXPECT_EQ(literal.error().message.find("hunter2"), std::string::npos);
  auto reference = Config::load(kTestKeys, std::nullopt,
                                std::vector<std::string>{"SPECTRA_BRIDGE__SECTION__PASSWORD=env:RL_PASSWORD"});
  ASSERT_TRUE(reference.ok());
  EXPECT_NE(reference->render_effective().find("password = \"env:RL_PASSWORD\""), std::string::npos);
}

TEST(Config, KeyVaultReferenceIsCheckedForShape) {
  auto bad_shape = Config::load(kTestKeys, std::nullopt,
                                std::vector<std::string>{"SPECTRA_BRIDGE__SECTION__PASSWORD=keyvault:vault"});
  ASSERT_FALSE(bad_shape.ok());
  EXPECT_NE(bad_shape.error().message.find("must look like keyvault:https://"), std::string::npos);
  auto good_shape = Config::load(
      kTestKeys, std::nullopt,
      std::vector<std::string>{"SPECTRA_BRIDGE__SECTION__PASSWORD=keyvault:https://v.vault.azure.net/secrets/rl"});
  ASSERT_TRUE(good_shape.ok()) << good_shape.error().message;
  for (const std::string text :
       {"keyvault:http://v.vault.azure.net/secrets/rl", "keyvault:https://example.com/secrets/rl",
        "keyvault:https://v.vault.azure.net/keys/rl", "keyvault:https://v.vault.azure.net/secrets/",
        "keyvault:https://v.vault.azure.net/secrets/rl?api-version=7.4"}) {
    EXPECT_FALSE(parse_secret_reference(text)) << text;
  }
  for (const std::string text :
       {"keyvault:https://v.vault.azure.net/secrets/rl/4387e9f3d6e14c459867679a90fd0f79",
        "keyvault:https://v.vault.usgovcloudapi.net/secrets/rl", "keyvault:http://127.0.0.1:8200/secrets/rl"}) {
    auto parsed = parse_secret_reference(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(parsed->kind, SecretKind::kKeyVault);
    EXPECT_EQ(parsed->target, text.substr(9));
  }
  EXPECT_FALSE(resolve_secret("keyvault:https://v.vault.azure.net/secrets/rl"));  // no reader given
}

TEST(Secret, ResolvesEnvironmentAndFile) {
  ::setenv("SB_TEST_SECRET", "s3cret", 1);
  auto from_env = resolve_secret("env:SB_TEST_SECRET");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(*from_env, "s3cret");
  auto missing = resolve_secret("env:SB_TEST_SECRET_MISSING");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message.find("s3cret"), std::string::npos);

  test::TempDir dir;
  std::ofstream(dir.path() / "pw") << "from-file\n";
  auto from_file = resolve_secret("file:" + (dir.path() / "pw").string());
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(*from_file, "from-file");
}

TEST(Secret, TextThatIsNoReferenceIsRefusedWithoutBeingRepeated) {
  auto literal = resolve_secret("hunter2");
  ASSERT_FALSE(literal.ok());
  EXPECT_NE(literal.error().message.find("must be a secret reference"), std::string::npos);
  EXPECT_EQ(literal.error().message.find("hunter2"), std::string::npos);
}

TEST(Config, ExampleConfigParsesBackToTheDefaults) {
  test::TempDir dir;
  const auto text = render_example_config(app::all_config_keys());
  auto config = Config::load(app::all_config_keys(), write_toml(dir, text), {});
  ASSERT_TRUE(config.ok()) << config.error().message << "\n" << text;
  EXPECT_EQ(value<std::string>(*config, "ingest.source"), "folder");
  EXPECT_EQ(value<std::vector<std::string>>(*config, "ingest.sinks"), std::vector<std::string>{"store"});
  EXPECT_NE(text.find("# Where rows go"), std::string::npos);
  EXPECT_EQ(environment_name("ingest.folder.path"), "SPECTRA_BRIDGE__INGEST__FOLDER__PATH");
}

const std::vector<KeySpec> kTableKeys = {
    KeySpec{"kafka.options", KeyType::kStringTable, "{}", "Pass-through properties."},
    KeySpec{"kafka.topic", KeyType::kString, R"("t")", "A topic."},
};

TEST(Config, AStringTableTakesQuotedAndDottedNamesAndNumbersAsText) {
  test::TempDir dir;
  const auto file = write_toml(dir,
                               "[kafka]\ntopic = \"x\"\noptions = { \"fetch.wait.max.ms\" = \"100\", "
                               "session.timeout.ms = 6000, check.crcs = true }\n");
  auto config = Config::load(kTableKeys, file, {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  const auto options = value<StringTable>(*config, "kafka.options");
  EXPECT_EQ(options,
            (StringTable{{"check.crcs", "true"}, {"fetch.wait.max.ms", "100"}, {"session.timeout.ms", "6000"}}));
  EXPECT_EQ(value<std::string>(*config, "kafka.topic"), "x");
  const auto effective = config->render_effective();
  EXPECT_NE(
      effective.find(
          R"(options = { "check.crcs" = "true", "fetch.wait.max.ms" = "100", "session.timeout.ms" = "6000" }  # file)"),
      std::string::npos)
      << effective;
  // The effective configuration reads back as the same configuration.
  const auto again =
      Config::load(kTableKeys, write_toml(dir, "[kafka]\n" + effective.substr(effective.find("options"))), {});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(value<StringTable>(*again, "kafka.options"), options);
}

TEST(Config, AStringTableFromTheEnvironmentIsAnInlineTableAndNestedValuesAreRefused) {
  const std::vector<std::string> inline_table = {R"(SPECTRA_BRIDGE__KAFKA__OPTIONS={ "debug" = "consumer" })"};
  auto config = Config::load(kTableKeys, std::nullopt, inline_table);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(value<StringTable>(*config, "kafka.options"), (StringTable{{"debug", "consumer"}}));
  const std::vector<std::string> not_a_table = {"SPECTRA_BRIDGE__KAFKA__OPTIONS=debug"};
  EXPECT_FALSE(Config::load(kTableKeys, std::nullopt, not_a_table).ok());
  test::TempDir dir;
  auto nested = Config::load(kTableKeys, write_toml(dir, "[kafka]\noptions = { a = [1, 2] }\n"), {});
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message.find("kafka.options: expected a table of strings"), std::string::npos)
      << nested.error().message;
  EXPECT_EQ(value<StringTable>(*Config::load(kTableKeys, std::nullopt, {}), "kafka.options"), StringTable{});
}

}  // namespace
}  // namespace sb::core
