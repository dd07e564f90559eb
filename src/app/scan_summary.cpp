// Scan summary text from the pipeline's, the resolver's and each provider's counters.
#include "app/scan_summary.hpp"

#include <fmt/format.h>

namespace sb::app {

std::string render_scan_summary(const ScanSetup& setup, double seconds) {
  const auto& s = setup.pipeline->stats();
  const auto& r = setup.verdicts.resolver->counters();
  std::string out = fmt::format(
      "\nScanned {} message file(s), {} record(s) in {:.1f} s: {} alert(s), {} with files ({} file(s)). Quarantined: "
      "{} input(s), {} record(s).\n",
      s.inputs_done.load(), s.records.load(), seconds, s.alerts.load(), s.alerts.load() - s.alerts_without_files.load(),
      s.files.load(), s.inputs_failed.load(), s.rejected_records.load());
  out += fmt::format("Enrichments: {} new ({} malicious), {} already delivered before (replays, skipped).\n",
                     s.enrichments.load(), s.malicious_alerts.load(), s.replays.load());
  out += fmt::format("Hashes: {} asked, {} from the lookup history, {} joined a lookup in flight.\n", r.asked.load(),
                     r.history_hits.load(), r.coalesced.load());
  for (const auto& provider : setup.verdicts.providers) {
    const auto c = provider->counters();
    out += fmt::format("Provider {}: {} request(s) for {} hash(es), {} quota refusal(s), {} failed lookup(s).\n",
                       provider->name(), c.requests, c.hashes, c.quota_errors, c.failures);
  }
  if (setup.store) {
    out += fmt::format("Store: {} (table enrichments; bad records in dead_letters)\n", setup.store->string());
    out += fmt::format(
        "Try:   sqlite3 {} \"SELECT comment FROM enrichments WHERE classification = 'malicious' LIMIT 1\"\n",
        setup.store->string());
  }
  return out;
}

}  // namespace sb::app
