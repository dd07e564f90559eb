// One assembly for every pipeline: the source by name, the outputs by name for the pipeline's item type, the dead
// letters where an output keeps them (the store) or else in files.
#include "app/pipeline_setup.hpp"

#include <set>

#include <fmt/format.h>

#include "engine/folder_dead_letters.hpp"
#include "outputs/output_entry.hpp"
#include "providers/provider_entry.hpp"
#include "sources/source_entry.hpp"
#include "history/history_entry.hpp"

namespace sb::app {
namespace {

//! With --once, an input's lookups are tried this often (up to about 1.5 minutes of backoff) before the run fails.
constexpr int kOnceLookupTries = 10;

//! How a pipeline names its outputs in the configuration and in messages.
struct OutputsKey {
  std::string_view key;    // "sinks", "writers"
  std::string_view noun;   // "sink", "writer"
  std::string_view items;  // "rows", "enrichments"
};

core::Status check_unique(const std::vector<std::string>& names, std::string_view key) {
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!seen.insert(name).second) return core::make_error(fmt::format("{} names \"{}\" twice", key, name));
  }
  return {};
}

core::Result<std::unique_ptr<engine::Source>> build_source(AppContext& app, const engine::PipelineTraits& traits,
                                                           std::string name, size_t max_bytes,
                                                           const CommandChoices& choices) {
  if (choices.source) name = *choices.source;
  if (!choices.files.empty()) name = "files";
  const auto& registry = sources::source_registry();
  const auto* entry = registry.find(name);
  if (entry == nullptr || !sources::serves(*entry, traits.name)) {
    return core::make_error(fmt::format("unknown {} source \"{}\" ({})", traits.name, name,
                                        core::join_names(sources::source_names(traits.name))));
  }
  const sources::SourceContext context{app.config,     fmt::format("{}.{}", traits.name, entry->name),
                                       traits,         app.globals.data_dir,
                                       max_bytes,      choices.once,
                                       choices.files,  app.stop,
                                       app.azure.get()};
  return entry->make(context);
}

template <typename Item>
struct Assembled {
  std::unique_ptr<engine::DeadLetterRecorder> dead_letters;
  std::vector<std::unique_ptr<engine::Output<Item>>> outputs;
};

template <typename Item>
core::Result<Assembled<Item>> build_outputs(AppContext& app, const engine::PipelineTraits& traits,
                                            const std::vector<std::string>& names, const OutputsKey& key) {
  const std::string list = fmt::format("{}.{}", traits.name, key.key);
  if (names.empty()) return core::make_error(fmt::format("{} is empty: {} would go nowhere", list, key.items));
  if (auto status = check_unique(names, list); !status) return status.error();
  const auto& registry = outputs::output_registry();
  std::vector<const outputs::OutputEntry*> entries;
  for (const auto& name : names) {
    const auto* entry = registry.find(name);
    if (entry == nullptr || !outputs::factory_of<Item>(*entry)) {
      const auto choices = registry.names_where(
          [](const outputs::OutputEntry& candidate) { return bool(outputs::factory_of<Item>(candidate)); });
      return core::make_error(
          fmt::format("unknown {} {} \"{}\" ({})", traits.name, key.noun, name, core::join_names(choices)));
    }
    entries.push_back(entry);
  }
  auto context_of = [&](const outputs::OutputEntry& entry, engine::DeadLetterRecorder* dead_letters) {
    return outputs::OutputContext{app.config, fmt::format("{}.{}", traits.name, entry.name),
                                  traits,     app.globals.store_path,
                                  *app.azure, dead_letters,
                                  app.stop};
  };

  // Dead letters go where an output keeps them (the store), else to files; outputs that dead-letter need them first.
  Assembled<Item> assembled;
  for (const auto* entry : entries) {
    if (!entry->dead_letters) continue;
    auto dead_letters = entry->dead_letters(context_of(*entry, nullptr));
    if (!dead_letters) return dead_letters.error();
    assembled.dead_letters = std::move(dead_letters).value();
    break;
  }
  if (!assembled.dead_letters) {
    assembled.dead_letters = std::make_unique<engine::FolderDeadLetters>(app.globals.data_dir / "dead-letters");
  }
  for (const auto* entry : entries) {
    auto output = outputs::factory_of<Item>(*entry)(context_of(*entry, assembled.dead_letters.get()));
    if (!output) return output.error();
    assembled.outputs.push_back(std::move(output).value());
  }
  return assembled;
}

}  // namespace

core::Result<IngestSetup> build_ingest(AppContext& app, const IngestSettings& settings, const CommandChoices& choices) {
  auto source = build_source(app, kIngestTraits, settings.source, settings.max_report_bytes, choices);
  if (!source) return source.error();
  auto assembled = build_outputs<detect::Row>(app, kIngestTraits, settings.sinks, {"sinks", "sink", "rows"});
  if (!assembled) return assembled.error();
  IngestSetup setup;
  setup.source_description = (*source)->describe();
  setup.dead_letters = std::move(assembled->dead_letters);
  pipeline::IngestOptions options;
  options.batch_rows = settings.batch_rows;
  options.flush_interval = settings.flush_interval;
  setup.pipeline = std::make_unique<pipeline::IngestPipeline>(std::move(source).value(), std::move(assembled->outputs),
                                                              setup.dead_letters.get(), options);
  return setup;
}

core::Result<VerdictSetup> build_verdicts(AppContext& app, const ScanSettings& settings) {
  VerdictSetup setup;
  if (auto status = check_unique(settings.providers, "scan.providers"); !status) return status.error();
  const auto& registry = providers::provider_registry();
  for (const auto& name : settings.providers) {
    const auto* entry = registry.find(name);
    if (entry == nullptr) {
      return core::make_error(
          fmt::format("unknown scan provider \"{}\" ({})", name, core::join_names(registry.names())));
    }
    const providers::ProviderContext context{app.config, fmt::format("scan.{}", entry->name), app.globals.store_path,
                                             *app.azure, app.stop};
    auto provider = entry->make(context);
    if (!provider) return provider.error();
    setup.providers.push_back(std::move(provider).value());
  }
  auto history = history::make_history(app.config, "scan.history", app.globals.store_path, *app.azure,
                                       settings.history, app.stop);
  if (!history) return history.error();
  setup.history = std::move(history).value();
  pipeline::ResolverOptions options;
  options.max_wait = settings.batch_wait;
  options.workers_per_provider = settings.workers_per_provider;
  setup.resolver = std::make_unique<pipeline::VerdictResolver>(setup.providers, setup.history.get(), options);
  return setup;
}

core::Result<ScanSetup> build_scan(AppContext& app, const ScanSettings& settings, const CommandChoices& choices) {
  auto source = build_source(app, kScanTraits, settings.source, settings.max_message_bytes, choices);
  if (!source) return source.error();
  auto assembled =
      build_outputs<defender::Enrichment>(app, kScanTraits, settings.writers, {"writers", "writer", "enrichments"});
  if (!assembled) return assembled.error();
  auto verdicts = build_verdicts(app, settings);
  if (!verdicts) return verdicts.error();
  ScanSetup setup;
  setup.verdicts = std::move(verdicts).value();
  setup.source_description = (*source)->describe();
  setup.dead_letters = std::move(assembled->dead_letters);
  pipeline::ScanOptions options;
  options.comment.max_chars = settings.comment_max_chars;
  if (choices.once) options.lookup_tries = kOnceLookupTries;
  setup.pipeline =
      std::make_unique<pipeline::ScanPipeline>(std::move(source).value(), *setup.verdicts.resolver,
                                               std::move(assembled->outputs), setup.dead_letters.get(), options);
  return setup;
}

}  // namespace sb::app
