// File-system helpers with clear errors: bounded reads, atomic writes, moves that never overwrite.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sb::core {

//! Spare bytes reserved after every input read for parsing (the JSON parser reads a little past the
//! end; with this room it parses in place instead of copying). The parser checks it is enough.
inline constexpr size_t kInputPadding = 64;

//! Reads a whole file, refusing files larger than `max_bytes` before reading them. Room for
//! `padding` extra zero bytes is reserved after the content (simdjson needs it), not counted in size().
Result<std::string> read_file_bounded(const std::filesystem::path& path, size_t max_bytes, size_t padding = 0);

//! Writes `content` to `path` through a temporary file in the same folder and a rename, so readers
//! never see a partial file.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

//! Renames `from` to `to` unless `to` exists (errno EEXIST then): renameat2(RENAME_NOREPLACE), or
//! link + unlink on file systems without it. Returns 0 or -1 with errno, like rename(2).
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);

//! Moves `from` into `folder`, keeping its name; when that name is taken, appends ".1", ".2", …
//! Returns the final path.
Result<std::filesystem::path> move_into_folder(const std::filesystem::path& from, const std::filesystem::path& folder);

//! Names of the regular files directly in `folder`, sorted (no exceptions, unlike directory_iterator).
Result<std::vector<std::string>> list_regular_files(const std::filesystem::path& folder);

//! Whether `path` is a folder (false on any error).
bool is_folder(const std::filesystem::path& path);

//! Creates a folder and its parents; a clear error names it when that fails.
Status ensure_folder(const std::filesystem::path& folder);

}  // namespace sb::core
