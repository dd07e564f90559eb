// Synthetic Defender XDR Streaming API messages (AlertInfo + AlertEvidence) for tests, benchmarks and the demo.
#pragma once

#include <cstdint>
#include <string>

namespace sb::tools {

inline constexpr uint64_t kDefaultAlertsPerMessage = 10;

struct DefenderGeneratorOptions {
  uint64_t seed = 1;  // the tenant (id, devices, accounts) and every alert
  //! The tools::pool_file seed whose files the alerts name: the --seed of `gen reports` (default 1 there
  //! too), so alerts and generated Spectra Detect reports share hashes.
  uint64_t report_seed = 1;
  uint64_t alert_count = 100;                              // alerts in the whole stream
  uint64_t alerts_per_message = kDefaultAlertsPerMessage;  // 0 is read as 1
};

//! Messages that hold `options.alert_count` alerts: ceil(alert_count / alerts_per_message).
uint64_t defender_message_count(const DefenderGeneratorOptions& options);

//! One Event Hubs message, `{"records":[...]}`, compact on one line ending with '\n'.
//!
//! About three alerts in four come from Defender for Endpoint (File and Process evidence with SHA1,
//! sometimes SHA256, now and then an MD5 inside AdditionalFields only, plus Machine, User, Ip, Url),
//! the rest from Defender for Office 365 (attachments with SHA256 only) and Entra ID Protection (no
//! files). About 95% of the file hashes are tools::pool_file(report_seed, k) files, popular ones
//! in many alerts; the rest are known nowhere.
//!
//! Alerts are numbered 0 .. alert_count-1 across the stream; message m holds alerts
//! [m * alerts_per_message, min((m + 1) * alerts_per_message, alert_count)) in that order, each as
//! one AlertInfo record and its AlertEvidence records (AlertInfo first or last, as Defender sends
//! either). An alert's records depend only on (seed, report_seed, alert number), so regrouping
//! alerts into messages changes no record. Deterministic and thread-safe; the first call for a
//! report_seed hashes the shared file pool (about half a second), later calls reuse it.
//! `message_index` must be below defender_message_count(options).
std::string generate_defender_message(const DefenderGeneratorOptions& options, uint64_t message_index);

//! The AlertId of alert `alert_index` (e.g. "da638034938542195558_2006612345" from Defender for
//! Endpoint); cheap, it does not build the alert.
std::string defender_alert_id(const DefenderGeneratorOptions& options, uint64_t alert_index);

}  // namespace sb::tools
