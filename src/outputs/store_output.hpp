// The store output: items into their table of the local SQLite store (rows → spectra_detect_logs, enrichments →
// enrichments), and the store's dead_letters table for everything a pipeline sets aside.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "engine/dead_letters.hpp"
#include "engine/output.hpp"

namespace sb::outputs {

//! Opens its own connection to the store at `path` (creating it). One transaction per batch, opened and committed
//! inside flush(), so the write lock is never held while another output waits on the network; committed last.
//! Replays are dropped by the table's unique key; for enrichments it is also the ledger of what was delivered.
template <typename Item>
core::Result<std::unique_ptr<engine::Output<Item>>> make_store_output(const std::filesystem::path& path);

//! The dead_letters table of the store at `path`; each record names `pipeline` ("ingest", "scan").
core::Result<std::unique_ptr<engine::DeadLetterRecorder>> make_store_dead_letters(const std::filesystem::path& path,
                                                                                  std::string pipeline);

}  // namespace sb::outputs
