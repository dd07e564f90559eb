// The pipelines' own key tables. The choices of ingest.source, ingest.sinks, scan.source, scan.providers and
// scan.writers are the registries' names, so a new component appears in them (and in their error texts) by itself.
#include "app/settings.hpp"

#include "azure/identity.hpp"
#include "core/registry.hpp"
#include "core/settings.hpp"
#include "history/history_entry.hpp"
#include "outputs/output_entry.hpp"
#include "providers/provider_entry.hpp"
#include "sources/source_entry.hpp"

namespace sb::app {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kMiB = 1024 * 1024;

struct GlobalKeys {
  std::string data_dir;
  std::string log_level;
  std::string log_format;
};

struct StoreSettings {
  std::string path;
};

const core::Settings<GlobalKeys>& global_table() {
  static const core::Settings<GlobalKeys> table = [] {
    core::Settings<GlobalKeys> settings;
    settings.text("data_dir", &GlobalKeys::data_dir, "./spectra-bridge-data",
                  "Folder for the inboxes, the store and quarantined files (relative to the working directory).");
    settings.text("log_level", &GlobalKeys::log_level, "info", "Least severe log level written to stderr.",
                  {"debug", "info", "warn", "error"});
    settings.text("log_format", &GlobalKeys::log_format, "json", "json: one JSON object per line; text: for humans.",
                  {"json", "text"});
    return settings;
  }();
  return table;
}

const core::Settings<StoreSettings>& store_table() {
  static const core::Settings<StoreSettings> table = [] {
    core::Settings<StoreSettings> settings;
    settings.text("path", &StoreSettings::path, "", "SQLite store; empty means <data_dir>/store.db.");
    return settings;
  }();
  return table;
}

std::vector<std::string> rows_outputs() {
  return outputs::output_registry().names_where([](const outputs::OutputEntry& entry) { return bool(entry.rows); });
}

std::vector<std::string> enrichment_outputs() {
  return outputs::output_registry().names_where(
      [](const outputs::OutputEntry& entry) { return bool(entry.enrichments); });
}

const core::Settings<IngestSettings>& ingest_table() {
  static const core::Settings<IngestSettings> table = [] {
    core::Settings<IngestSettings> settings;
    settings.flag("enabled", &IngestSettings::enabled, true, "Run the Spectra Detect ingest pipeline in `run`.");
    settings.text("source", &IngestSettings::source, "folder",
                  "Where task reports come from (the source's keys are in [ingest.<source>]).",
                  sources::source_names("ingest"));
    settings.list(
        "sinks", &IngestSettings::sinks, {"store"},
        "Where rows go (each sink's keys are in [ingest.<sink>]); sinks that cannot take a write back go first, the "
        "store commits last.",
        rows_outputs());
    settings.number("max_report_bytes", &IngestSettings::max_report_bytes, 268'435'456,
                    "Reports larger than this are quarantined unread (bytes).", 1, 16 * 1024 * kMiB);
    settings.number("batch_rows", &IngestSettings::batch_rows, 5000, "Rows committed per store transaction.", 1,
                    1'000'000);
    settings.duration("flush_interval_ms", &IngestSettings::flush_interval, 500,
                      "Commit a partial batch after input has paused this long (milliseconds).", 1, 600'000);
    return settings;
  }();
  return table;
}

const core::Settings<ScanSettings>& scan_table() {
  static const core::Settings<ScanSettings> table = [] {
    core::Settings<ScanSettings> settings;
    settings.flag("enabled", &ScanSettings::enabled, true, "Run the Defender scan pipeline in `run`.");
    settings.text("source", &ScanSettings::source, "folder",
                  "Where Defender Streaming API messages come from (the source's keys are in [scan.<source>]).",
                  sources::source_names("scan"));
    settings.list("providers", &ScanSettings::providers, {"local"},
                  "Verdict providers in priority order; the first with a verdict other than unknown wins. local reads "
                  "Spectra Detect rows in the store and needs no credentials.",
                  providers::provider_registry().names());
    settings.list(
        "writers", &ScanSettings::writers, {"store"},
        "Where enrichments go (each writer's keys are in [scan.<writer>]); the store is also what recognises a "
        "replay, and commits last.",
        enrichment_outputs());
    settings.number("max_message_bytes", &ScanSettings::max_message_bytes, 67'108'864,
                    "Messages larger than this are quarantined unread (bytes).", 1, 4 * 1024 * kMiB);
    settings.duration("batch_wait_ms", &ScanSettings::batch_wait, 500,
                      "How long a lookup waits for more hashes to share its request (milliseconds).", 0, 60'000);
    settings.number("workers_per_provider", &ScanSettings::workers_per_provider, 2, "Lookups in flight per provider.",
                    1, 64);
    settings.number("comment_max_chars", &ScanSettings::comment_max_chars, 4000,
                    "Longest enrichment comment; the per-file list is cut to fit, the first line and the marker stay.",
                    200, 100'000);
    return settings;
  }();
  return table;
}

const core::Settings<intel::HistoryTtl>& history_table() {
  static const core::Settings<intel::HistoryTtl> table = [] {
    core::Settings<intel::HistoryTtl> settings;
    settings.duration("malicious_ttl_seconds", &intel::HistoryTtl::malicious, 30 * kDay,
                      "How long a malicious verdict is reused before the hash is asked about again.", 0, 3650 * kDay);
    settings.duration("suspicious_ttl_seconds", &intel::HistoryTtl::suspicious, 7 * kDay,
                      "How long a suspicious verdict is reused.", 0, 3650 * kDay);
    settings.duration("goodware_ttl_seconds", &intel::HistoryTtl::goodware, 7 * kDay,
                      "How long a goodware (known) verdict is reused.", 0, 3650 * kDay);
    settings.duration("unknown_ttl_seconds", &intel::HistoryTtl::unknown, 3600,
                      "How long an unknown verdict is reused (short: ReversingLabs may see the file any minute).", 0,
                      3650 * kDay);
    return settings;
  }();
  return table;
}

void append(std::vector<core::KeySpec>& out, std::vector<core::KeySpec> keys) {
  for (auto& key : keys) out.push_back(std::move(key));
}

void append_components(std::vector<core::KeySpec>& out, const engine::PipelineTraits& traits, bool rows) {
  const std::string pipeline(traits.name);
  for (const auto* source : sources::source_registry().entries()) {
    if (!sources::serves(*source, traits.name)) continue;
    append(out, source->keys(traits, pipeline + "." + std::string(source->name)));
  }
  for (const auto* output : outputs::output_registry().entries()) {
    if (rows ? !output->rows : !output->enrichments) continue;
    append(out, output->keys(traits, pipeline + "." + std::string(output->name)));
  }
}

}  // namespace

std::vector<core::KeySpec> all_config_keys() {
  std::vector<core::KeySpec> keys = global_table().keys("");
  append(keys, ingest_table().keys("ingest"));
  append_components(keys, kIngestTraits, true);
  append(keys, scan_table().keys("scan"));
  append(keys, history_table().keys("scan.history"));
  append(keys, history::history_keys("scan.history"));
  append_components(keys, kScanTraits, false);
  for (const auto* provider : providers::provider_registry().entries()) {
    append(keys, provider->keys("scan." + std::string(provider->name)));
  }
  append(keys, azure::azure_settings().keys("azure"));
  append(keys, store_table().keys("store"));
  return keys;
}

core::Result<GlobalSettings> read_global_settings(const core::Config& config) {
  auto keys = global_table().read(config, "");
  if (!keys) return keys.error();
  auto store = store_table().read(config, "store");
  if (!store) return store.error();
  GlobalSettings globals{keys->data_dir, keys->log_level, keys->log_format, store->path};
  if (store->path.empty()) globals.store_path = globals.data_dir / "store.db";
  return globals;
}

core::Result<IngestSettings> read_ingest_settings(const core::Config& config) {
  return ingest_table().read(config, "ingest");
}

core::Result<ScanSettings> read_scan_settings(const core::Config& config) {
  auto scan = scan_table().read(config, "scan");
  if (!scan) return scan.error();
  auto history = history_table().read(config, "scan.history");
  if (!history) return history.error();
  scan->history = *history;
  return scan;
}

}  // namespace sb::app
