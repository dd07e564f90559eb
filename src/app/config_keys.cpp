// Every key a user can set. Adding a component means adding its rows here.
#include "app/config_keys.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace sb::app {
namespace {

using core::KeySpec;
using core::KeyType;

constexpr std::array<std::string_view, 4> kLogLevels = {"debug", "info", "warn", "error"};
constexpr std::array<std::string_view, 2> kLogFormats = {"json", "text"};
constexpr std::array<std::string_view, 3> kIngestSources = {"folder", "stdin", "files"};
constexpr std::array<std::string_view, 3> kIngestSinks = {"store", "ndjson", "logs_ingestion"};
constexpr std::array<std::string_view, 4> kAzureAuth = {"default", "client_secret", "managed_identity",
                                                        "workload_identity"};
constexpr std::array<std::string_view, 3> kScanProviders = {"local", "spectra_analyze", "spectra_intelligence"};
constexpr std::array<std::string_view, 3> kScanWriters = {"store", "ndjson", "graph"};
constexpr std::array<std::string_view, 2> kGraphTargets = {"incident", "alert"};
constexpr int64_t kDay = 86'400;
constexpr int64_t kMiB = 1024 * 1024;

// One row per key reads as a table.
// clang-format off
constexpr std::array kKeys = {
    KeySpec{"data_dir", KeyType::kString, R"("./spectra-bridge-data")",
            "Folder for the inboxes, the store and quarantined files (relative to the working directory)."},
    KeySpec{"log_level", KeyType::kString, R"("info")", "Least severe log level written to stderr.", kLogLevels},
    KeySpec{"log_format", KeyType::kString, R"("json")", "json: one JSON object per line; text: for humans.",
            kLogFormats},

    KeySpec{"ingest.enabled", KeyType::kBool, "true", "Run the Spectra Detect ingest pipeline in `run`."},
    KeySpec{"ingest.source", KeyType::kString, R"("folder")",
            "Where task reports come from: a watched folder, standard input, or the files in ingest.files.paths.",
            kIngestSources},
    KeySpec{"ingest.sinks", KeyType::kStringList, R"(["store"])",
            "Where rows go: the local SQLite store, NDJSON (ingest.ndjson.path) and/or the Azure Monitor Logs "
            "Ingestion API ([ingest.logs_ingestion]).", kIngestSinks},
    KeySpec{"ingest.max_report_bytes", KeyType::kInt, "268435456",
            "Reports larger than this are quarantined unread (bytes).", {}, 1, 16 * 1024 * kMiB},
    KeySpec{"ingest.batch_rows", KeyType::kInt, "5000", "Rows committed per store transaction.", {}, 1, 1'000'000},
    KeySpec{"ingest.flush_interval_ms", KeyType::kInt, "500",
            "Commit a partial batch after input has paused this long (milliseconds).", {}, 1, 600'000},

    KeySpec{"ingest.folder.path", KeyType::kString, R"("")",
            "Inbox folder watched for reports; empty means <data_dir>/inbox/detect. done/ and failed/ live inside it."},
    KeySpec{"ingest.folder.settle_ms", KeyType::kInt, "1000",
            "A file found at start-up that changed less than this long ago is read once it is quiet (milliseconds).",
            {}, 0, 3'600'000},
    KeySpec{"ingest.folder.pending_recheck_seconds", KeyType::kInt, "30",
            "How often a report that was still processing (processed: null) is read again.", {}, 1, 86'400},

    KeySpec{"ingest.files.paths", KeyType::kStringList, "[]", "Report files read once when ingest.source = \"files\"."},
    KeySpec{"ingest.ndjson.path", KeyType::kString, R"("-")",
            "NDJSON output of the ndjson sink: a file (appended) or - for standard output."},

    KeySpec{"ingest.logs_ingestion.endpoint", KeyType::kUrl, R"("")",
            "Logs ingestion endpoint: the DCR's own (kind Direct) or a data collection endpoint, e.g. "
            "https://my-dce-5kyl.eastus-1.ingest.monitor.azure.com."},
    KeySpec{"ingest.logs_ingestion.dcr_immutable_id", KeyType::kString, R"("")",
            "Immutable id of the data collection rule (dcr-…), from the DCR's JSON view."},
    KeySpec{"ingest.logs_ingestion.stream", KeyType::kString, R"("Custom-SpectraDetectLogs")",
            "Stream declared in the DCR that feeds SpectraDetectLogs_CL."},
    KeySpec{"ingest.logs_ingestion.concurrency", KeyType::kInt, "2", "Requests in flight.", {}, 1, 32},
    KeySpec{"ingest.logs_ingestion.scope", KeyType::kString, R"("https://monitor.azure.com/.default")",
            "Token scope; sovereign clouds use https://monitor.azure.us/.default or https://monitor.azure.cn/.default."},
    KeySpec{"ingest.logs_ingestion.gzip", KeyType::kBool, "true",
            "Compress request bodies (requests stay within 1,048,576 bytes before and after)."},
    KeySpec{"ingest.logs_ingestion.max_requests_per_minute", KeyType::kInt, "12000",
            "Request budget of this instance against the DCR (the service allows 12,000 per minute per DCR); 0 "
            "means unlimited.", {}, 0, 1'000'000},
    KeySpec{"ingest.logs_ingestion.max_bytes_per_minute", KeyType::kInt, "2000000000",
            "Data budget against the DCR, uncompressed bytes (the service allows 2 GB per minute per DCR); 0 means "
            "unlimited.", {}, 0, INT64_MAX},

    KeySpec{"scan.enabled", KeyType::kBool, "true", "Run the Defender scan pipeline in `run`."},
    KeySpec{"scan.source", KeyType::kString, R"("folder")",
            "Where Defender Streaming API messages come from: a watched folder, standard input, or the files in "
            "scan.files.paths.", kIngestSources},
    KeySpec{"scan.providers", KeyType::kStringList, R"(["local"])",
            "Verdict providers in priority order; the first with a verdict other than unknown wins. local reads "
            "Spectra Detect rows in the store and needs no credentials.", kScanProviders},
    KeySpec{"scan.writers", KeyType::kStringList, R"(["store"])",
            "Where enrichments go: the store's enrichments table (also what recognises a replay), NDJSON "
            "(scan.ndjson.path) and/or Defender through Microsoft Graph ([scan.graph]).", kScanWriters},
    KeySpec{"scan.max_message_bytes", KeyType::kInt, "67108864",
            "Messages larger than this are quarantined unread (bytes).", {}, 1, 4 * 1024 * kMiB},
    KeySpec{"scan.batch_wait_ms", KeyType::kInt, "500",
            "How long a lookup waits for more hashes to share its request (milliseconds).", {}, 0, 60'000},
    KeySpec{"scan.workers_per_provider", KeyType::kInt, "2", "Lookups in flight per provider.", {}, 1, 64},
    KeySpec{"scan.comment_max_chars", KeyType::kInt, "4000",
            "Longest enrichment comment; the per-file list is cut to fit, the first line and the marker stay.",
            {}, 200, 100'000},
    KeySpec{"scan.folder.path", KeyType::kString, R"("")",
            "Inbox folder watched for messages; empty means <data_dir>/inbox/defender. done/ and failed/ live inside it."},
    KeySpec{"scan.folder.settle_ms", KeyType::kInt, "1000",
            "A file found at start-up that changed less than this long ago is read once it is quiet (milliseconds).",
            {}, 0, 3'600'000},
    KeySpec{"scan.files.paths", KeyType::kStringList, "[]", "Message files read once when scan.source = \"files\"."},
    KeySpec{"scan.ndjson.path", KeyType::kString, R"("-")",
            "NDJSON output of the ndjson writer: a file (appended) or - for standard output."},

    KeySpec{"scan.graph.endpoint", KeyType::kUrl, R"("https://graph.microsoft.com")",
            "Microsoft Graph; national clouds: https://graph.microsoft.us, https://dod-graph.microsoft.us."},
    KeySpec{"scan.graph.scope", KeyType::kString, R"("https://graph.microsoft.com/.default")",
            "Token scope for Graph (the endpoint followed by /.default)."},
    KeySpec{"scan.graph.comment_on", KeyType::kStringList, R"(["incident", "alert"])",
            "Post the enrichment comment on the alert's incident and/or on the alert.", kGraphTargets},
    KeySpec{"scan.graph.tags", KeyType::kStringList, "[]",
            "Tags added to the incident, merged with its existing tags; {classification} becomes the worst "
            "verdict, e.g. \"ReversingLabs: {classification}\"."},
    KeySpec{"scan.graph.requests_per_minute", KeyType::kInt, "150",
            "Graph request budget (the security API allows 150 per minute per app and tenant); 0 means unlimited.",
            {}, 0, 100'000},

    KeySpec{"scan.history.malicious_ttl_seconds", KeyType::kInt, "2592000",
            "How long a malicious verdict is reused before the hash is asked about again.", {}, 0, 3650 * kDay},
    KeySpec{"scan.history.suspicious_ttl_seconds", KeyType::kInt, "604800",
            "How long a suspicious verdict is reused.", {}, 0, 3650 * kDay},
    KeySpec{"scan.history.goodware_ttl_seconds", KeyType::kInt, "604800",
            "How long a goodware (known) verdict is reused.", {}, 0, 3650 * kDay},
    KeySpec{"scan.history.unknown_ttl_seconds", KeyType::kInt, "3600",
            "How long an unknown verdict is reused (short: ReversingLabs may see the file any minute).", {}, 0,
            3650 * kDay},

    KeySpec{"scan.spectra_intelligence.url", KeyType::kUrl, R"("https://data.reversinglabs.com")",
            "Spectra Intelligence (TitaniumCloud) base URL."},
    KeySpec{"scan.spectra_intelligence.username", KeyType::kString, R"("")", "Spectra Intelligence user name."},
    KeySpec{"scan.spectra_intelligence.password", KeyType::kSecret, R"("")",
            "Spectra Intelligence password: a secret reference (env:NAME, file:/path, keyvault:URL)."},
    KeySpec{"scan.spectra_intelligence.requests_per_second", KeyType::kInt, "5",
            "Request rate limit (token bucket); 0 means unlimited.", {}, 0, 10'000},
    KeySpec{"scan.spectra_intelligence.timeout_ms", KeyType::kInt, "30000", "Timeout of one request (milliseconds).",
            {}, 100, 600'000},

    KeySpec{"scan.spectra_analyze.url", KeyType::kUrl, R"("")",
            "Spectra Analyze (A1000) appliance base URL, e.g. https://a1000.example.com."},
    KeySpec{"scan.spectra_analyze.token", KeyType::kSecret, R"("")",
            "Spectra Analyze REST API token: a secret reference (env:NAME, file:/path, keyvault:URL)."},
    KeySpec{"scan.spectra_analyze.ca_file", KeyType::kString, R"("")",
            "Extra CA bundle (PEM) for an appliance whose certificate a private CA signed; TLS is always verified."},
    KeySpec{"scan.spectra_analyze.requests_per_second", KeyType::kInt, "10",
            "Request rate limit (token bucket); 0 means unlimited.", {}, 0, 10'000},
    KeySpec{"scan.spectra_analyze.timeout_ms", KeyType::kInt, "30000", "Timeout of one request (milliseconds).",
            {}, 100, 600'000},

    KeySpec{"azure.auth", KeyType::kString, R"("default")",
            "How to get Entra ID tokens: default takes the first available of a client secret, workload identity "
            "(AZURE_FEDERATED_TOKEN_FILE), the App Service managed identity (IDENTITY_ENDPOINT) and the VM managed "
            "identity (IMDS).", kAzureAuth},
    KeySpec{"azure.tenant_id", KeyType::kString, R"("")", "Directory (tenant) id; empty reads AZURE_TENANT_ID."},
    KeySpec{"azure.client_id", KeyType::kString, R"("")",
            "Application (client) id, or the client id of a user-assigned managed identity; empty reads "
            "AZURE_CLIENT_ID (managed identity: empty means system-assigned)."},
    KeySpec{"azure.client_secret", KeyType::kSecret, R"("")",
            "Client secret of the app registration: a secret reference (env:NAME, file:/path; not keyvault:, which needs "
            "this credential)."},
    KeySpec{"azure.authority_host", KeyType::kUrl, R"("https://login.microsoftonline.com")",
            "Entra ID authority; sovereign clouds: https://login.microsoftonline.us, https://login.chinacloudapi.cn."},
    KeySpec{"azure.key_vault_refresh_seconds", KeyType::kInt, "3600",
            "How often a keyvault: secret is read again, so a rotated secret is used without a restart; 0 reads "
            "it once at start-up.", {}, 0, 7 * kDay},
    KeySpec{"azure.token_refresh_skew_seconds", KeyType::kInt, "300",
            "A token is replaced this long before it expires (half its life for shorter tokens).", {}, 0, 3600},

    KeySpec{"store.path", KeyType::kString, R"("")", "SQLite store; empty means <data_dir>/store.db."},
};
// clang-format on

}  // namespace

std::span<const core::KeySpec> config_keys() {
  return kKeys;
}

}  // namespace sb::app
