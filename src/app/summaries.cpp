// Summary text from the pipelines', the resolver's, each provider's and each output's counters.
#include "app/summaries.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sb::app {
namespace {

//! Each output's own lines, in commit order (the store, committed last, last).
template <typename Item>
std::string output_summaries(const std::vector<std::unique_ptr<engine::Output<Item>>>& outputs) {
  std::vector<const engine::Output<Item>*> ordered;
  ordered.reserve(outputs.size());
  for (const auto& output : outputs) ordered.push_back(output.get());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->commit_order() < b->commit_order(); });
  std::string out;
  for (const auto* output : ordered) out += output->summary();
  return out;
}

}  // namespace

std::string render_ingest_summary(const IngestSetup& setup, double seconds) {
  const auto& s = setup.pipeline->stats();
  std::string out = fmt::format(
      "\nIngested {} file(s): {} report(s), {} row(s) in {:.1f} s. Quarantined: {}. Still processing (left in the "
      "inbox): {}.\n",
      s.inputs_done.load(), s.reports.load(), s.rows.load(), seconds, s.inputs_failed.load(), s.inputs_pending.load());
  uint64_t duplicates = 0;
  for (const auto& output : setup.pipeline->outputs()) duplicates += output->counters().duplicates;
  if (duplicates > 0) out += fmt::format("Rows already in the store (replays, skipped): {}.\n", duplicates);
  out += output_summaries(setup.pipeline->outputs());
  return out;
}

std::string render_scan_summary(const ScanSetup& setup, double seconds) {
  const auto& s = setup.pipeline->stats();
  const auto& r = setup.verdicts.resolver->counters();
  std::string out = fmt::format(
      "\nScanned {} message(s), {} record(s) in {:.1f} s: {} alert(s), {} with files ({} file(s)). Quarantined: "
      "{} input(s), {} record(s).\n",
      s.inputs_done.load(), s.records.load(), seconds, s.alerts.load(), s.alerts.load() - s.alerts_without_files.load(),
      s.files.load(), s.inputs_failed.load(), s.rejected_records.load());
  if (const auto position = setup.pipeline->source().position(); !position.empty()) {
    out += fmt::format("Source: {}.\n", position);
  }
  out += fmt::format("Enrichments: {} new ({} malicious), {} already delivered before (replays, skipped).\n",
                     s.enrichments.load(), s.malicious_alerts.load(), s.replays.load());
  out += fmt::format("Hashes: {} asked, {} from the lookup history, {} joined a lookup in flight.\n", r.asked.load(),
                     r.history_hits.load(), r.coalesced.load());
  for (const auto& provider : setup.verdicts.providers) {
    const auto c = provider->counters();
    out += fmt::format("Provider {}: {} request(s) for {} hash(es), {} quota refusal(s), {} failed lookup(s).\n",
                       provider->name(), c.requests, c.hashes, c.quota_errors, c.failures);
  }
  out += output_summaries(setup.pipeline->outputs());
  return out;
}

}  // namespace sb::app
