// The configuration keys of spectra-bridge: one table for parsing, defaults, validation and docs.
#pragma once

#include <span>

#include "core/config.hpp"

namespace sb::app {

std::span<const core::KeySpec> config_keys();

}  // namespace sb::app
