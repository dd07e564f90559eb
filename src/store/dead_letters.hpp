// The dead_letters table: every quarantined input, with its reason, so it can be found and replayed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace sb::store {

//! Views into the caller's data: a record lives only for the insert, and the payload may be large.
struct DeadLetter {
  std::string_view pipeline;  // "ingest", "scan"
  std::string_view source;    // "folder", "stdin", "files"
  std::string_view name;      // input name (file path, stdin#N)
  std::string_view reason;
  std::optional<size_t> offset;
  std::string_view location;  // where the input now is (failed/ path), when it was moved
  std::string_view payload;   // the input itself when nothing else keeps it (stdin); empty otherwise
};

std::string dead_letters_ddl();

core::Status insert_dead_letter(Database& db, const DeadLetter& letter);

}  // namespace sb::store
