// The files source and its registry entry ([<pipeline>.files] paths, or the files named on the command line).
#include "sources/files_source.hpp"

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/settings.hpp"
#include "sources/source_entry.hpp"

namespace sb::sources {

std::string FilesSource::describe() const {
  return fmt::format("{} file(s)", paths_.size());
}

std::optional<engine::Input> FilesSource::next(const std::stop_token& stop) {
  if (position_ >= paths_.size() || stop.stop_requested()) return std::nullopt;
  const auto& path = paths_[position_];
  engine::Input input;
  input.token = ++position_;
  input.name = path.string();
  {
    const std::lock_guard lock(mutex_);
    in_flight_.insert(input.token);
  }
  auto content = core::read_file_bounded(path, max_bytes_, core::kInputPadding);
  if (content) {
    input.bytes = std::move(content).value();
  } else {
    input.read_error = content.error();
  }
  return input;
}

core::Result<engine::Acknowledgement> FilesSource::acknowledge(const engine::Input& input, engine::Outcome,
                                                               const core::Error*) {
  const std::lock_guard lock(mutex_);
  if (in_flight_.erase(input.token) == 0) return core::make_error(fmt::format("{} was acknowledged twice", input.name));
  return engine::Acknowledgement{};
}

namespace {

struct FilesOptions {
  std::vector<std::string> paths;
};

core::Settings<FilesOptions> files_settings(const engine::PipelineTraits& pipeline) {
  core::Settings<FilesOptions> settings;
  settings.list("paths", &FilesOptions::paths, {},
                fmt::format("{} files read once when {}.source = \"files\".",
                            pipeline.noun == "report" ? "Report" : "Message", pipeline.name));
  return settings;
}

core::Result<std::unique_ptr<engine::Source>> make_files_source(const SourceContext& context) {
  std::vector<std::filesystem::path> files = context.files;
  if (files.empty()) {
    auto options = files_settings(context.pipeline).read(context.config, context.section);
    if (!options) return options.error();
    for (const auto& path : options->paths) files.emplace_back(path);
  }
  if (files.empty()) {
    return core::make_error(
        fmt::format("{}.source is \"files\" but {}.paths is empty", context.pipeline.name, context.section));
  }
  return std::unique_ptr<engine::Source>(std::make_unique<FilesSource>(std::move(files), context.max_input_bytes));
}

}  // namespace

const SourceEntry& files_source_entry() {
  static const SourceEntry entry{
      .name = "files",
      .summary = "The files in <pipeline>.files.paths (or named on the command line), read once and left in place.",
      .keys = [](const engine::PipelineTraits& pipeline,
                 std::string_view section) { return files_settings(pipeline).keys(section); },
      .make = make_files_source,
      .doctor = {},
  };
  return entry;
}

}  // namespace sb::sources
