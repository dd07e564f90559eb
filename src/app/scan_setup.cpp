// Scanner factories: adding a provider or a writer is one new class and one branch here.
#include "app/scan_setup.hpp"

#include <unistd.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "app/app_context.hpp"
#include "app/azure_setup.hpp"
#include "app/secrets.hpp"
#include "azure/graph_client.hpp"
#include "engine/folder_dead_letters.hpp"
#include "http/http_client.hpp"
#include "outputs/graph_enrichment_writer.hpp"
#include "outputs/ndjson_enrichment_writer.hpp"
#include "outputs/store_enrichment_writer.hpp"
#include "rl/spectra_analyze_client.hpp"
#include "rl/spectra_intelligence_client.hpp"
#include "sources/file_list_source.hpp"
#include "sources/folder_source.hpp"
#include "sources/stream_source.hpp"
#include "store/local_verdicts.hpp"
#include "store/lookup_history_table.hpp"

namespace sb::app {
namespace {

//! With --once, an input's lookups are tried this often (up to about 1.5 minutes of backoff) before the run fails.
constexpr int kOnceLookupTries = 10;

core::Status check_unique(const std::vector<std::string>& names, std::string_view key) {
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!seen.insert(name).second) return core::make_error(fmt::format("{} names \"{}\" twice", key, name));
  }
  return {};
}

core::Result<std::shared_ptr<http::HttpClient>> http_client(const core::Config& config, std::string_view section,
                                                            std::filesystem::path ca_file) {
  http::ClientOptions options;
  options.user_agent = "spectra-bridge/" SB_VERSION;
  options.ca_file = std::move(ca_file);
  options.request_timeout = std::chrono::milliseconds(config.get_int(fmt::format("{}.timeout_ms", section)));
  options.stop = command_stop();
  auto client = http::make_curl_client(options);
  if (!client) return client.error();
  return std::shared_ptr<http::HttpClient>(std::move(client).value());
}

core::Result<std::shared_ptr<intel::IntelProvider>> intelligence_provider(const core::Config& config) {
  constexpr std::string_view kSection = "scan.spectra_intelligence";
  rl::SpectraIntelligenceOptions options;
  options.stop = command_stop();
  options.base_url = config.get_string("scan.spectra_intelligence.url");
  if (options.base_url.empty()) return core::make_error("scan.spectra_intelligence.url is empty");
  options.username = config.get_string("scan.spectra_intelligence.username");
  if (options.username.empty()) return core::make_error("scan.spectra_intelligence.username is not set");
  auto password = required_secret_value(config, "scan.spectra_intelligence.password");
  if (!password) return password.error();
  options.password = std::move(password).value();
  options.requests_per_second = static_cast<double>(config.get_int("scan.spectra_intelligence.requests_per_second"));
  auto http = http_client(config, kSection, {});
  if (!http) return http.error();
  auto client = rl::SpectraIntelligenceClient::create(std::move(http).value(), std::move(options));
  if (!client) return client.error();
  return std::shared_ptr<intel::IntelProvider>(std::move(client).value());
}

core::Result<std::shared_ptr<intel::IntelProvider>> analyze_provider(const core::Config& config) {
  constexpr std::string_view kSection = "scan.spectra_analyze";
  rl::SpectraAnalyzeOptions options;
  options.stop = command_stop();
  options.base_url = config.get_string("scan.spectra_analyze.url");
  if (options.base_url.empty()) {
    return core::make_error("scan.providers lists spectra_analyze but scan.spectra_analyze.url is empty");
  }
  auto token = required_secret_value(config, "scan.spectra_analyze.token");
  if (!token) return token.error();
  options.token = std::move(token).value();
  options.requests_per_second = static_cast<double>(config.get_int("scan.spectra_analyze.requests_per_second"));
  const auto& ca_file = config.get_string("scan.spectra_analyze.ca_file");
  if (!ca_file.empty() && !std::filesystem::is_regular_file(ca_file)) {
    return core::make_error(fmt::format("scan.spectra_analyze.ca_file: {} is not a readable file", ca_file));
  }
  auto http = http_client(config, kSection, ca_file);
  if (!http) return http.error();
  auto client = rl::SpectraAnalyzeClient::create(std::move(http).value(), std::move(options));
  if (!client) return client.error();
  return std::shared_ptr<intel::IntelProvider>(std::move(client).value());
}

intel::HistoryTtl history_ttl(const core::Config& config) {
  intel::HistoryTtl ttl;
  ttl.malicious = std::chrono::seconds(config.get_int("scan.history.malicious_ttl_seconds"));
  ttl.suspicious = std::chrono::seconds(config.get_int("scan.history.suspicious_ttl_seconds"));
  ttl.goodware = std::chrono::seconds(config.get_int("scan.history.goodware_ttl_seconds"));
  ttl.unknown = std::chrono::seconds(config.get_int("scan.history.unknown_ttl_seconds"));
  return ttl;
}

core::Result<std::unique_ptr<engine::Source>> scan_source(const core::Config& config, const ScanOverrides& overrides,
                                                          std::string& description) {
  const auto max_bytes = static_cast<size_t>(config.get_int("scan.max_message_bytes"));
  std::string kind = overrides.source.value_or(config.get_string("scan.source"));
  std::vector<std::filesystem::path> files = overrides.files;
  if (!files.empty()) kind = "files";
  if (kind == "files" && files.empty()) {
    for (const auto& path : config.get_list("scan.files.paths")) files.emplace_back(path);
    if (files.empty()) return core::make_error("scan.source is \"files\" but scan.files.paths is empty");
  }
  if (kind == "folder") {
    sources::FolderSourceOptions options;
    options.inbox = defender_inbox(config);
    options.max_bytes = max_bytes;
    options.settle = std::chrono::milliseconds(config.get_int("scan.folder.settle_ms"));
    options.once = overrides.once;
    description = fmt::format("folder {}", options.inbox.string());
    auto folder = sources::FolderSource::create(options);
    if (!folder) return folder.error();
    return std::unique_ptr<engine::Source>(std::move(folder).value());
  }
  if (kind == "stdin") {
    description = "stdin";
    return std::unique_ptr<engine::Source>(std::make_unique<sources::StreamSource>(STDIN_FILENO, "stdin", max_bytes));
  }
  if (kind == "files") {
    description = fmt::format("{} file(s)", files.size());
    return std::unique_ptr<engine::Source>(std::make_unique<sources::FileListSource>(std::move(files), max_bytes));
  }
  return core::make_error(fmt::format("unknown scan source \"{}\" (folder, stdin, files)", kind));
}

core::Result<std::unique_ptr<engine::EnrichmentWriter>> graph_writer(const core::Config& config,
                                                                     engine::DeadLetterRecorder& dead_letters) {
  auto graph = build_graph_client(config);
  if (!graph) return graph.error();

  outputs::GraphWriterOptions writer;
  const auto& targets = config.get_list("scan.graph.comment_on");
  writer.comment_on_incident = std::find(targets.begin(), targets.end(), "incident") != targets.end();
  writer.comment_on_alert = std::find(targets.begin(), targets.end(), "alert") != targets.end();
  writer.tags = config.get_list("scan.graph.tags");
  if (!writer.comment_on_incident && !writer.comment_on_alert && writer.tags.empty()) {
    return core::make_error("scan.writers has graph but scan.graph.comment_on and scan.graph.tags are both empty");
  }
  return std::unique_ptr<engine::EnrichmentWriter>(
      std::make_unique<outputs::GraphEnrichmentWriter>(std::move(graph).value(), &dead_letters, std::move(writer)));
}

}  // namespace

core::Result<std::unique_ptr<azure::GraphClient>> build_graph_client(const core::Config& config) {
  azure::GraphOptions options;
  options.stop = command_stop();
  options.endpoint = config.get_string("scan.graph.endpoint");
  options.scope = config.get_string("scan.graph.scope");
  options.requests_per_minute = static_cast<double>(config.get_int("scan.graph.requests_per_minute"));
  auto tokens = build_token_provider(config);
  if (!tokens) return tokens.error();
  auto http = azure_http_client();
  if (!http) return http.error();
  return azure::GraphClient::create(std::move(options), std::move(tokens).value(), std::move(http).value());
}

core::Result<VerdictSetup> build_verdicts(const core::Config& config) {
  VerdictSetup setup;
  const auto& names = config.get_list("scan.providers");
  if (auto status = check_unique(names, "scan.providers"); !status) return status.error();
  for (const auto& name : names) {
    core::Result<std::shared_ptr<intel::IntelProvider>> provider = core::make_error("unknown provider");
    if (name == "local") {
      auto local = store::LocalVerdictProvider::open(store_path(config));
      provider = local ? core::Result<std::shared_ptr<intel::IntelProvider>>(
                             std::shared_ptr<intel::IntelProvider>(std::move(local).value()))
                       : core::Result<std::shared_ptr<intel::IntelProvider>>(local.error());
    } else if (name == "spectra_intelligence") {
      provider = intelligence_provider(config);
    } else if (name == "spectra_analyze") {
      provider = analyze_provider(config);
    } else {
      return core::make_error(
          fmt::format("unknown scan provider \"{}\" (local, spectra_analyze, spectra_intelligence)", name));
    }
    if (!provider) return provider.error();
    setup.providers.push_back(std::move(provider).value());
  }
  auto history = store::SqliteLookupHistory::open(store_path(config), history_ttl(config));
  if (!history) return history.error();
  setup.history = std::move(history).value();
  pipeline::ResolverOptions options;
  options.max_wait = std::chrono::milliseconds(config.get_int("scan.batch_wait_ms"));
  options.workers_per_provider = static_cast<size_t>(config.get_int("scan.workers_per_provider"));
  setup.resolver = std::make_unique<pipeline::VerdictResolver>(setup.providers, setup.history.get(), options);
  return setup;
}

core::Result<ScanSetup> build_scan(const core::Config& config, const ScanOverrides& overrides) {
  ScanSetup setup;
  auto source = scan_source(config, overrides, setup.source_description);
  if (!source) return source.error();

  const auto& names = config.get_list("scan.writers");
  if (auto status = check_unique(names, "scan.writers"); !status) return status.error();
  if (names.empty()) return core::make_error("scan.writers is empty: enrichments would go nowhere");
  // Dead letters go to the store when it is a writer, else to files; writers that dead-letter need it first.
  std::unique_ptr<outputs::StoreEnrichmentWriter> store_writer;
  engine::EnrichmentLedger* ledger = nullptr;
  engine::DeadLetterRecorder* dead_letters = nullptr;
  if (std::find(names.begin(), names.end(), "store") != names.end()) {
    auto writer = outputs::StoreEnrichmentWriter::create(store_path(config));
    if (!writer) return writer.error();
    store_writer = std::move(writer).value();
    setup.store = store_path(config);
    ledger = store_writer.get();
    dead_letters = store_writer.get();
  } else {
    setup.folder_dead_letters = std::make_unique<engine::FolderDeadLetters>(data_dir(config) / "dead-letters");
    dead_letters = setup.folder_dead_letters.get();
  }

  std::vector<std::unique_ptr<engine::EnrichmentWriter>> writers;
  for (const auto& name : names) {
    if (name == "store") continue;
    if (name == "ndjson") {
      auto writer = outputs::NdjsonEnrichmentWriter::create(config.get_string("scan.ndjson.path"));
      if (!writer) return writer.error();
      writers.push_back(std::move(writer).value());
    } else if (name == "graph") {
      auto writer = graph_writer(config, *dead_letters);
      if (!writer) return writer.error();
      writers.push_back(std::move(writer).value());
    } else {
      return core::make_error(fmt::format("unknown scan writer \"{}\" (store, ndjson, graph)", name));
    }
  }
  // The store writer goes last: it is the ledger, so it may hold a marker only once every other writer has it.
  if (store_writer) writers.push_back(std::move(store_writer));

  auto verdicts = build_verdicts(config);
  if (!verdicts) return verdicts.error();
  setup.verdicts = std::move(verdicts).value();

  pipeline::ScanOptions options;
  options.comment.max_chars = static_cast<size_t>(config.get_int("scan.comment_max_chars"));
  if (overrides.once) options.lookup_tries = kOnceLookupTries;
  setup.pipeline = std::make_unique<pipeline::ScanPipeline>(std::move(source).value(), *setup.verdicts.resolver,
                                                            std::move(writers), ledger, dead_letters, options);
  return setup;
}

}  // namespace sb::app
