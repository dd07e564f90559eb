// Source and sink factories: adding a sink is one new class and one branch here.
#include "app/ingest_setup.hpp"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "app/app_context.hpp"
#include "pipeline/file_list_source.hpp"
#include "pipeline/folder_dead_letters.hpp"
#include "pipeline/folder_source.hpp"
#include "pipeline/ndjson_sink.hpp"
#include "pipeline/store_sink.hpp"
#include "pipeline/stream_source.hpp"

namespace sb::app {

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

  std::unique_ptr<pipeline::Source> source;
  if (source_kind == "folder") {
    pipeline::FolderSourceOptions options;
    options.inbox = detect_inbox(config);
    options.max_bytes = max_bytes;
    options.settle = std::chrono::milliseconds(config.get_int("ingest.folder.settle_ms"));
    options.pending_recheck = std::chrono::seconds(config.get_int("ingest.folder.pending_recheck_seconds"));
    options.once = overrides.once;
    setup.source_description = fmt::format("folder {}", options.inbox.string());
    auto folder = pipeline::FolderSource::create(options);
    if (!folder) return folder.error();
    source = std::move(folder).value();
  } else if (source_kind == "stdin") {
    setup.source_description = "stdin";
    source = std::make_unique<pipeline::StreamSource>(STDIN_FILENO, "stdin", max_bytes);
  } else if (source_kind == "files") {
    setup.source_description = fmt::format("{} file(s)", files.size());
    source = std::make_unique<pipeline::FileListSource>(std::move(files), max_bytes);
  } else {
    return core::make_error(fmt::format("unknown ingest source \"{}\" (folder, stdin, files)", source_kind));
  }

  std::vector<std::unique_ptr<pipeline::Sink>> sinks;
  pipeline::DeadLetterRecorder* dead_letters = nullptr;
  const auto& sink_names = config.get_list("ingest.sinks");
  for (size_t i = 0; i < sink_names.size(); ++i) {
    const auto& name = sink_names[i];
    if (std::find(sink_names.begin(), sink_names.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        sink_names.begin() + static_cast<std::ptrdiff_t>(i)) {
      return core::make_error(fmt::format("ingest.sinks names \"{}\" twice", name));
    }
    if (name == "store") {
      const auto path = store_path(config);
      auto sink = pipeline::StoreSink::create(path);
      if (!sink) return sink.error();
      dead_letters = sink->get();
      setup.store = path;
      sinks.push_back(std::move(sink).value());
    } else if (name == "ndjson") {
      auto sink = pipeline::NdjsonSink::create(config.get_string("ingest.ndjson.path"));
      if (!sink) return sink.error();
      sinks.push_back(std::move(sink).value());
    } else {
      return core::make_error(fmt::format("unknown ingest sink \"{}\" (store, ndjson)", name));
    }
  }
  if (sinks.empty()) return core::make_error("ingest.sinks is empty: rows would go nowhere");
  if (dead_letters == nullptr) {
    setup.folder_dead_letters = std::make_unique<pipeline::FolderDeadLetters>(data_dir(config) / "dead-letters");
    dead_letters = setup.folder_dead_letters.get();
  }

  pipeline::IngestOptions options;
  options.batch_rows = static_cast<size_t>(config.get_int("ingest.batch_rows"));
  options.flush_interval = std::chrono::milliseconds(config.get_int("ingest.flush_interval_ms"));
  setup.pipeline =
      std::make_unique<pipeline::IngestPipeline>(std::move(source), std::move(sinks), dead_letters, options);
  return setup;
}

}  // namespace sb::app
