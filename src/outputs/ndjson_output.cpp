// The NDJSON output, written once for rows and enrichments, and its entry ([<pipeline>.ndjson] path).
#include "outputs/ndjson_output.hpp"

#include <type_traits>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/settings.hpp"
#include "defender/enrichment_json.hpp"
#include "detect/row_json.hpp"
#include "outputs/ndjson_file.hpp"
#include "outputs/output_entry.hpp"

namespace sb::outputs {
namespace {

void append_line(std::string& out, const detect::Row& row, std::string_view) {
  detect::append_row_json(out, row);
}

void append_line(std::string& out, const defender::Enrichment& enrichment, std::string_view posted_at) {
  out += defender::enrichment_json(enrichment, posted_at);
}

template <typename Item>
class NdjsonOutput final : public engine::Output<Item> {
 public:
  explicit NdjsonOutput(std::unique_ptr<NdjsonFile> file) : file_(std::move(file)) {}

  std::string_view name() const override { return "ndjson"; }
  engine::CommitOrder commit_order() const override {
    return file_->revertible() ? engine::CommitOrder::kRevertible : engine::CommitOrder::kIrrevocable;
  }

  core::Status write(std::span<const Item> items) override {
    // An enrichment line says when it was posted; a row carries its own TimeGenerated.
    const std::string now = std::is_same_v<Item, defender::Enrichment> ? core::now_iso8601_utc() : std::string();
    for (const auto& item : items) {
      auto& buffer = file_->buffer();
      append_line(buffer, item, now);
      buffer.push_back('\n');
      ++batch_written_;
      if (auto status = file_->wrote(); !status) return status;
    }
    return {};
  }

  core::Status flush() override { return file_->flush(); }

  //! Forgets the batch and, for a file, cuts it back to where the batch began (stdout cannot be undone).
  void discard() override {
    file_->discard();
    batch_written_ = 0;
  }

  void committed() override {
    file_->committed();
    written_ += batch_written_;
    batch_written_ = 0;
  }

  engine::OutputCounters counters() const override { return {written_, 0}; }

 private:
  std::unique_ptr<NdjsonFile> file_;
  uint64_t batch_written_ = 0;
  uint64_t written_ = 0;
};

struct NdjsonSettings {
  std::string path;
};

core::Settings<NdjsonSettings> ndjson_settings(const engine::PipelineTraits& pipeline) {
  core::Settings<NdjsonSettings> table;
  table.text(
      "path", &NdjsonSettings::path, "-",
      fmt::format("NDJSON output of the ndjson {}: a file (appended) or - for standard output.", pipeline.output));
  return table;
}

template <typename Item>
core::Result<std::unique_ptr<engine::Output<Item>>> make_from(const OutputContext& context) {
  auto settings = ndjson_settings(context.pipeline).read(context.config, context.section);
  if (!settings) return settings.error();
  return make_ndjson_output<Item>(settings->path);
}

}  // namespace

template <typename Item>
core::Result<std::unique_ptr<engine::Output<Item>>> make_ndjson_output(const std::string& path) {
  auto file = NdjsonFile::open(path);
  if (!file) return file.error();
  return std::unique_ptr<engine::Output<Item>>(std::make_unique<NdjsonOutput<Item>>(std::move(file).value()));
}

template core::Result<std::unique_ptr<engine::Output<detect::Row>>> make_ndjson_output<detect::Row>(
    const std::string& path);
template core::Result<std::unique_ptr<engine::Output<defender::Enrichment>>> make_ndjson_output<defender::Enrichment>(
    const std::string& path);

const OutputEntry& ndjson_output_entry() {
  static const OutputEntry entry{
      .name = "ndjson",
      .summary = "One JSON object per row or enrichment, to a file or standard output.",
      .keys = [](const engine::PipelineTraits& pipeline,
                 std::string_view section) { return ndjson_settings(pipeline).keys(section); },
      .rows = make_from<detect::Row>,
      .enrichments = make_from<defender::Enrichment>,
      .dead_letters = {},
      .doctor = {},
  };
  return entry;
}

}  // namespace sb::outputs
