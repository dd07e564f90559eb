// The closing summary of a scan run: alerts, verdicts, provider calls, and a query to try.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/scan_setup.hpp"

namespace sb::app {

std::string render_scan_summary(const ScanSetup& setup, double seconds);

}  // namespace sb::app
