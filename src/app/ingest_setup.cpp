// engine::Source and sink factories: adding a sink is one new class and one branch here.
#include "app/ingest_setup.hpp"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "app/app_context.hpp"
#include "app/azure_setup.hpp"
#include "azure/logs_ingestion_client.hpp"
#include "engine/folder_dead_letters.hpp"
#include "outputs/logs_ingestion_sink.hpp"
#include "outputs/ndjson_sink.hpp"
#include "outputs/store_sink.hpp"
#include "sources/file_list_source.hpp"
#include "sources/folder_source.hpp"
#include "sources/stream_source.hpp"

namespace sb::app {
namespace {

core::Result<std::unique_ptr<engine::Sink>> logs_ingestion_sink(const core::Config& config,
                                                                engine::DeadLetterRecorder& dead_letters) {
  auto client = build_logs_ingestion_client(config);
  if (!client) return client.error();
  outputs::LogsIngestionSinkOptions options;
  options.stop = command_stop();
  options.concurrency = static_cast<int>(config.get_int("ingest.logs_ingestion.concurrency"));
  options.gzip = config.get_bool("ingest.logs_ingestion.gzip");
  options.max_requests_per_minute =
      static_cast<double>(config.get_int("ingest.logs_ingestion.max_requests_per_minute"));
  options.max_bytes_per_minute = static_cast<double>(config.get_int("ingest.logs_ingestion.max_bytes_per_minute"));
  return std::unique_ptr<engine::Sink>(
      std::make_unique<outputs::LogsIngestionSink>(std::move(client).value(), &dead_letters, options));
}

}  // namespace

core::Result<std::unique_ptr<azure::LogsIngestionClient>> build_logs_ingestion_client(const core::Config& config) {
  azure::LogsIngestionTarget target;
  target.endpoint = config.get_string("ingest.logs_ingestion.endpoint");
  if (target.endpoint.empty()) return core::make_error("ingest.logs_ingestion.endpoint is empty");
  target.dcr_immutable_id = config.get_string("ingest.logs_ingestion.dcr_immutable_id");
  target.stream = config.get_string("ingest.logs_ingestion.stream");
  target.scope = config.get_string("ingest.logs_ingestion.scope");
  auto tokens = build_token_provider(config);
  if (!tokens) return tokens.error();
  auto http = azure_http_client();
  if (!http) return http.error();
  return azure::LogsIngestionClient::create(std::move(target), std::move(tokens).value(), std::move(http).value());
}

core::Result<IngestSetup> build_ingest(const core::Config& config, const IngestOverrides& overrides) {
  IngestSetup setup;
  const auto max_bytes = static_cast<size_t>(config.get_int("ingest.max_report_bytes"));
  std::string source_kind = overrides.source.value_or(config.get_string("ingest.source"));
  std::vector<std::filesystem::path> files = overrides.files;
  if (!files.empty()) source_kind = "files";
  if (source_kind == "files" && files.empty()) {
    for (const auto& path : config.get_list("ingest.files.paths")) files.emplace_back(path);
    if (files.empty()) return core::make_error("ingest.source is \"files\" but ingest.files.paths is empty");
  }

  std::unique_ptr<engine::Source> source;
  if (source_kind == "folder") {
    sources::FolderSourceOptions options;
    options.inbox = detect_inbox(config);
    options.max_bytes = max_bytes;
    options.settle = std::chrono::milliseconds(config.get_int("ingest.folder.settle_ms"));
    options.pending_recheck = std::chrono::seconds(config.get_int("ingest.folder.pending_recheck_seconds"));
    options.once = overrides.once;
    setup.source_description = fmt::format("folder {}", options.inbox.string());
    auto folder = sources::FolderSource::create(options);
    if (!folder) return folder.error();
    source = std::move(folder).value();
  } else if (source_kind == "stdin") {
    setup.source_description = "stdin";
    source = std::make_unique<sources::StreamSource>(STDIN_FILENO, "stdin", max_bytes);
  } else if (source_kind == "files") {
    setup.source_description = fmt::format("{} file(s)", files.size());
    source = std::make_unique<sources::FileListSource>(std::move(files), max_bytes);
  } else {
    return core::make_error(fmt::format("unknown ingest source \"{}\" (folder, stdin, files)", source_kind));
  }

  const auto& sink_names = config.get_list("ingest.sinks");
  if (sink_names.empty()) return core::make_error("ingest.sinks is empty: rows would go nowhere");
  for (size_t i = 0; i < sink_names.size(); ++i) {
    if (std::find(sink_names.begin(), sink_names.begin() + static_cast<std::ptrdiff_t>(i), sink_names[i]) !=
        sink_names.begin() + static_cast<std::ptrdiff_t>(i)) {
      return core::make_error(fmt::format("ingest.sinks names \"{}\" twice", sink_names[i]));
    }
  }
  // Dead letters go to the store when it is a sink, else to files; sinks that dead-letter rows need it first.
  std::unique_ptr<outputs::StoreSink> store_sink;
  engine::DeadLetterRecorder* dead_letters = nullptr;
  if (std::find(sink_names.begin(), sink_names.end(), "store") != sink_names.end()) {
    const auto path = store_path(config);
    auto sink = outputs::StoreSink::create(path);
    if (!sink) return sink.error();
    store_sink = std::move(sink).value();
    dead_letters = store_sink.get();
    setup.store = path;
  } else {
    setup.folder_dead_letters = std::make_unique<engine::FolderDeadLetters>(data_dir(config) / "dead-letters");
    dead_letters = setup.folder_dead_letters.get();
  }

  std::vector<std::unique_ptr<engine::Sink>> sinks;
  for (const auto& name : sink_names) {
    if (name == "store") {
      sinks.push_back(std::move(store_sink));
    } else if (name == "ndjson") {
      auto sink = outputs::NdjsonSink::create(config.get_string("ingest.ndjson.path"));
      if (!sink) return sink.error();
      sinks.push_back(std::move(sink).value());
    } else if (name == "logs_ingestion") {
      auto sink = logs_ingestion_sink(config, *dead_letters);
      if (!sink) return sink.error();
      sinks.push_back(std::move(sink).value());
    } else {
      return core::make_error(fmt::format("unknown ingest sink \"{}\" (store, ndjson, logs_ingestion)", name));
    }
  }

  pipeline::IngestOptions options;
  options.batch_rows = static_cast<size_t>(config.get_int("ingest.batch_rows"));
  options.flush_interval = std::chrono::milliseconds(config.get_int("ingest.flush_interval_ms"));
  setup.pipeline =
      std::make_unique<pipeline::IngestPipeline>(std::move(source), std::move(sinks), dead_letters, options);
  return setup;
}

}  // namespace sb::app
