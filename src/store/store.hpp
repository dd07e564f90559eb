// The local store (SQLite file): opens it and creates the tables this version uses.
#pragma once

#include <filesystem>
#include <memory>

#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

//! Opens the store at `path` (creating folder, file and tables as needed).
core::Result<std::unique_ptr<Database>> open_store(const std::filesystem::path& path);

}  // namespace sb::store
