// [scan.history.azure_table] → AzureTableHistory behind a CachedHistory. Entity properties: Verdict (the verdict's
// JSON), Classification, Provider, LookedUpAt, ExpiresAt (Edm.Int64, Unix seconds).
#include "history/azure_table_history.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <optional>
#include <set>

#include "core/clock.hpp"
#include "core/json_document.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/settings.hpp"
#include "history/cached_history.hpp"
#include "history/history_entry.hpp"
#include "intel/verdict_json.hpp"

namespace sb::history {
namespace {

constexpr size_t kPartitionChars = 2;
constexpr std::chrono::milliseconds kConnectTimeout{3'000};
constexpr std::chrono::milliseconds kRequestTimeout{10'000};
constexpr int kAttempts = 2;
//! After a failed call the table is left alone this long: lookups go to the providers, writes are skipped.
constexpr std::chrono::seconds kPause{30};

//! An Edm.Int64 comes back as a string ("1767225600"); a plain number is read too.
std::optional<int64_t> int64_property(simdjson::dom::object entity, std::string_view name) {
  simdjson::dom::element value;
  if (entity[name].get(value) != simdjson::SUCCESS) return std::nullopt;
  int64_t number = 0;
  if (value.get(number) == simdjson::SUCCESS) return number;
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) return std::nullopt;
  const auto* end = text.data() + text.size();
  if (std::from_chars(text.data(), end, number).ptr != end) return std::nullopt;
  return number;
}

struct TableSettings {
  std::string endpoint;
  std::string table = "spectrabridgehistory";
  std::string account_key;  // a secret reference
  std::string scope;
  int64_t cache_entries = 100'000;
};

const core::Settings<TableSettings>& table_settings() {
  static const core::Settings<TableSettings> settings = [] {
    core::Settings<TableSettings> table;
    table.url("endpoint", &TableSettings::endpoint, "",
              "Table service endpoint, e.g. https://ACCOUNT.table.core.windows.net (Azurite: "
              "http://127.0.0.1:PORT/devstoreaccount1).");
    table.text("table", &TableSettings::table, "spectrabridgehistory", "The table; created when missing.");
    table.secret("account_key", &TableSettings::account_key,
                 "The storage account key (Shared Key), a secret reference; empty: the [azure] identity, which needs "
                 "the role Storage Table Data Contributor.");
    table.text("scope", &TableSettings::scope, azure::kStorageScope,
               "Token scope for the [azure] identity (sovereign clouds differ).");
    table.number("cache_entries", &TableSettings::cache_entries, 100'000,
                 "Verdicts kept in memory in front of the table (least recently used out first).", 1, 10'000'000);
    return table;
  }();
  return settings;
}

core::Result<std::unique_ptr<azure::TableClient>> make_client(const HistoryContext& context,
                                                              const TableSettings& settings) {
  if (settings.endpoint.empty()) {
    return core::make_error(
        fmt::format("scan.history.backend is azure_table but {}.endpoint is empty", context.section));
  }
  auto account = azure::table_account(settings.endpoint);
  if (!account) return core::make_error(fmt::format("{}.{}", context.section, account.error().message));
  // A client of its own, quick to give up: the history is read inside every lookup, and a table that does not
  // answer must cost seconds, not the shared client's minutes of retries.
  http::ClientOptions options;
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.connect_timeout = kConnectTimeout;
  options.request_timeout = kRequestTimeout;
  options.retry.max_attempts = kAttempts;
  options.retry.max_retry_after = kRequestTimeout;
  options.stop = context.stop;
  auto http = http::make_curl_client(options);
  if (!http) return http.error();
  std::optional<azure::StorageSharedKey> key;
  std::shared_ptr<azure::TokenProvider> tokens;
  if (!settings.account_key.empty()) {
    auto value = context.azure.refreshing_secret(core::key_path(context.section, "account_key"), settings.account_key);
    if (!value) return value.error();
    auto shared = azure::StorageSharedKey::create(*account, std::move(value).value());
    if (!shared) return core::make_error(fmt::format("{}.account_key: {}", context.section, shared.error().message));
    key = std::move(shared).value();
  } else {
    auto identity = context.azure.tokens();
    if (!identity) return identity.error();
    tokens = std::move(identity).value();
  }
  auto client = azure::TableClient::create({settings.endpoint, settings.table}, std::move(key), std::move(tokens),
                                           std::shared_ptr<http::HttpClient>(std::move(http).value()), settings.scope);
  if (!client) return core::make_error(fmt::format("{}: {}", context.section, client.error().message));
  return client;
}

core::Result<std::unique_ptr<intel::LookupHistory>> make_backend(const HistoryContext& context) {
  auto settings = table_settings().read(context.config, context.section);
  if (!settings) return settings.error();
  auto client = make_client(context, *settings);
  if (!client) return client.error();
  // A refused key or role stops the start; a table service that does not answer yet does not (lookups then go to
  // the providers, and the table is created by the first write that reaches it… or by the next start).
  if (auto created = (*client)->create_table(); !created) {
    if (created.error().kind == core::ErrorKind::kRefusedForGood) return created.error();
    core::log_warn("cannot create the lookup history table yet", {{"reason", created.error().message}});
  }
  return std::unique_ptr<intel::LookupHistory>(
      std::make_unique<CachedHistory>(std::make_unique<AzureTableHistory>(std::move(client).value(), context.ttl),
                                      context.ttl, static_cast<size_t>(settings->cache_entries)));
}

//! Creates the table, writes a probe entity and reads it back: the endpoint, the key or role, read and write.
void check(const HistoryContext& context, core::DoctorReport& report) {
  constexpr std::string_view kCheck = "lookup history";
  auto settings = table_settings().read(context.config, context.section);
  if (!settings) {
    report.fail(kCheck, settings.error().message);
    return;
  }
  if (!settings->account_key.empty()) {
    context.azure.check_secret(core::key_path(context.section, "account_key"), settings->account_key, report);
  } else if (!context.azure.check_token(settings->scope, report)) {
    return;
  }
  auto client = make_client(context, *settings);
  if (!client) {
    report.fail(kCheck, client.error().message);
    return;
  }
  const std::string where =
      fmt::format("table {} of account {} ({})", settings->table, (*client)->account(), (*client)->describe_auth());
  if (auto created = (*client)->create_table(); !created) {
    report.fail(kCheck, created.error().message);
    return;
  }
  const std::string probe = fmt::format("{{\"CheckedAt\":\"{}\"}}", core::now_iso8601_utc());
  if (auto written = (*client)->upsert("doctor", "probe", probe); !written) {
    report.fail(kCheck, written.error().message);
    return;
  }
  auto read = (*client)->get("doctor", "probe");
  if (!read || !read->has_value()) {
    report.fail(kCheck, read ? where + ": the probe entity written was not found" : read.error().message);
    return;
  }
  report.ok(kCheck, where + ": written and read back");
}

}  // namespace

std::string history_partition(std::string_view hash) {
  return std::string(hash.substr(0, kPartitionChars));
}

AzureTableHistory::AzureTableHistory(std::unique_ptr<azure::TableClient> table, intel::HistoryTtl ttl)
    : table_(std::move(table)), ttl_(ttl) {}

bool AzureTableHistory::paused() const {
  return std::chrono::steady_clock::now().time_since_epoch().count() < paused_until_.load();
}

void AzureTableHistory::pause(const core::Error& error, std::string_view what) {
  paused_until_ = (std::chrono::steady_clock::now() + kPause).time_since_epoch().count();
  core::log_warn(fmt::format("lookup history table unreachable: {}; it is left alone for {} s", what, kPause.count()),
                 {{"reason", error.message}});
}

core::Result<std::map<std::string, intel::Verdict>> AzureTableHistory::find(const std::vector<std::string>& hashes,
                                                                            core::SystemTime now) {
  std::map<std::string, intel::Verdict> found;
  if (paused()) return found;            // misses: the providers are asked
  simdjson::dom::parser parser;          // the entity
  simdjson::dom::parser verdict_parser;  // the verdict JSON held in its Verdict property
  const int64_t now_s = core::unix_seconds(now);
  for (const auto& hash : hashes) {
    auto entity = table_->get(history_partition(hash), hash);
    if (!entity) {
      // What was found stays found; the rest are misses.
      pause(entity.error(), "reads go to the providers");
      break;
    }
    if (!entity->has_value()) continue;
    const std::string body = std::move(**entity);
    auto document = core::parse_json(parser, body);
    simdjson::dom::object object;
    if (!document || document->get(object) != simdjson::SUCCESS) continue;  // damaged: asked about again
    const auto expires = int64_property(object, "ExpiresAt");
    if (!expires || *expires <= now_s) continue;
    std::string_view text;
    if (object["Verdict"].get(text) != simdjson::SUCCESS) continue;
    auto element = core::parse_json(verdict_parser, std::string(text));
    auto verdict = element ? intel::read_verdict_json(*element) : core::Result<intel::Verdict>(element.error());
    if (!verdict) continue;
    verdict->hash = hash;
    found.emplace(hash, std::move(verdict).value());
  }
  return found;
}

core::Status AzureTableHistory::remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) {
  std::optional<core::Error> first_error;
  const std::string looked_up_at = core::format_iso8601_utc(now);
  for (const auto& verdict : verdicts) {
    const int64_t expires = core::unix_seconds(now) + ttl_.of(verdict.classification).count();
    std::string properties;
    core::JsonWriter w(properties);
    w.begin_object();
    w.key("Verdict").value(intel::verdict_json(verdict));
    w.key("Classification").value(intel::classification_name(verdict.classification));
    w.key("Provider").value(verdict.provider);
    w.key("LookedUpAt").value(verdict.looked_up_at.empty() ? looked_up_at : verdict.looked_up_at);
    w.key("ExpiresAt@odata.type").value("Edm.Int64");
    w.key("ExpiresAt").value(std::to_string(expires));
    w.end_object();
    std::set<std::string> keys{verdict.hash};
    for (const auto* alias : {&verdict.md5, &verdict.sha1, &verdict.sha256}) {
      if (!alias->empty()) keys.insert(*alias);
    }
    for (const auto& key : keys) {
      if (paused()) return core::make_error("the lookup history table is unreachable; verdicts are not shared now");
      auto status = table_->upsert(history_partition(key), key, properties);
      if (status) continue;
      // One entity refused as it is (a key the service will not take) does not hold back the rest.
      if (status.error().kind == core::ErrorKind::kRefusedItem) {
        if (!first_error) first_error = status.error();
        continue;
      }
      pause(status.error(), "writes are skipped");
      return status;
    }
  }
  if (first_error) return *first_error;
  return {};
}

const HistoryEntry& azure_table_history_entry() {
  static const HistoryEntry entry{
      .name = "azure_table",
      .summary =
          "An Azure Storage table (Shared Key or the [azure] identity) that several instances share, with an "
          "in-memory cache in front.",
      .keys = [](std::string_view section) { return table_settings().keys(section); },
      .make = make_backend,
      .doctor = check,
  };
  return entry;
}

}  // namespace sb::history
