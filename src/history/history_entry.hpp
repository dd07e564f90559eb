// A lookup history backend's registry entry: its name, its own configuration keys, the factory that builds it, and
// its doctor checks. Every backend file defines one; history/registry.cpp lists them; scan.history.backend chooses.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "azure/identity.hpp"
#include "core/config.hpp"
#include "core/doctor_report.hpp"
#include "core/registry.hpp"
#include "core/result.hpp"
#include "intel/lookup_history.hpp"

namespace sb::history {

//! What a backend is built from.
struct HistoryContext {
  const core::Config& config;
  std::string section;  // its keys' section, e.g. "scan.history.azure_table"
  std::filesystem::path store_path;
  azure::Identity& azure;
  intel::HistoryTtl ttl;
  std::stop_token stop;
};

struct HistoryEntry {
  std::string_view name;
  std::string_view summary;  // one line for the docs
  std::function<std::vector<core::KeySpec>(std::string_view section)> keys;
  std::function<core::Result<std::unique_ptr<intel::LookupHistory>>(const HistoryContext&)> make;
  std::function<void(const HistoryContext&, core::DoctorReport&)> doctor;  // empty: nothing to check
};

//! Every registered backend, in registration order (history/registry.cpp).
const core::Registry<HistoryEntry>& history_registry();

//! The [scan.history] keys of the choice itself (backend), and every backend's own keys under it.
std::vector<core::KeySpec> history_keys(std::string_view section);

//! The backend scan.history.backend names, built. Errors name the key.
core::Result<std::unique_ptr<intel::LookupHistory>> make_history(const core::Config& config, std::string_view section,
                                                                 const std::filesystem::path& store_path,
                                                                 azure::Identity& azure, intel::HistoryTtl ttl,
                                                                 std::stop_token stop);

//! doctor: the chosen backend's checks.
void check_history(const core::Config& config, std::string_view section, const std::filesystem::path& store_path,
                   azure::Identity& azure, intel::HistoryTtl ttl, core::DoctorReport& report);

}  // namespace sb::history
