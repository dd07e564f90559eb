// Every key a user can set. Adding a component means adding its rows here.
#include "app/config_keys.hpp"

#include <array>
#include <string_view>

namespace sb::app {
namespace {

using core::KeySpec;
using core::KeyType;

constexpr std::array<std::string_view, 4> kLogLevels = {"debug", "info", "warn", "error"};
constexpr std::array<std::string_view, 2> kLogFormats = {"json", "text"};
constexpr std::array<std::string_view, 3> kIngestSources = {"folder", "stdin", "files"};
constexpr std::array<std::string_view, 2> kIngestSinks = {"store", "ndjson"};
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
            "Where rows go: the local SQLite store and/or NDJSON (ingest.ndjson.path).", kIngestSinks},
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

    KeySpec{"store.path", KeyType::kString, R"("")", "SQLite store; empty means <data_dir>/store.db."},
};
// clang-format on

}  // namespace

std::span<const core::KeySpec> config_keys() {
  return kKeys;
}

}  // namespace sb::app
