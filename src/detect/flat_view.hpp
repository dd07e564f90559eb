// Rebuilds the nested column values (info, classification, story, tags, interesting_strings) of a
// "flat view" tc_report entry, whose keys look like info_file_hashes_sha1 or story_0_caption.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "detect/row.hpp"

namespace sb::detect {

//! True when the entry is in the flat view: it has no nested info/classification objects but
//! carries keys with their prefixes.
bool is_flat_entry(simdjson::dom::object entry);

//! The rebuilt columns of one flat entry as compact JSON text (empty string = column absent).
struct FlatColumns {
  std::string info;
  std::string classification;
  std::string story;
  std::string tags;
  std::string interesting_strings;
  //! Picked up in the same pass (a flat entry has hundreds of keys; a lookup is a linear scan).
  std::optional<simdjson::dom::element> index;
  std::optional<simdjson::dom::element> parent;
};

//! Rebuilds the columns and fills the facts (hashes, verdict, threat name, file name/type).
FlatColumns rebuild_flat_entry(simdjson::dom::object entry, RowFacts& facts);

}  // namespace sb::detect
