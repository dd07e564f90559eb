// The dead_letters table: every quarantined input, with its reason, so it can be found and replayed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

struct DeadLetter {
  std::string pipeline;  // "ingest", "scan"
  std::string source;    // "folder", "stdin", "files"
  std::string name;      // input name (file path, stdin#N)
  std::string reason;
  std::optional<size_t> offset;
  std::string location;  // where the input now is (failed/ path), when it was moved
  std::string payload;   // the input itself when nothing else keeps it (stdin); empty otherwise
};

std::string dead_letters_ddl();

core::Status insert_dead_letter(Database& db, const DeadLetter& letter);

}  // namespace sb::store
