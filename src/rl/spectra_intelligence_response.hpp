// Spectra Intelligence (TitaniumCloud) TCA-0101 Malware Presence responses → verdicts.
#pragma once

#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "intel/verdict.hpp"

namespace sb::rl {

class IntelligenceResponseParser {
 public:
  //! Single query: {"rl":{"malware_presence":{…}}}. `hash` is the hash asked about (lower-case).
  core::Result<intel::Verdict> parse_single(const std::string& body, std::string_view hash);

  //! Bulk query: {"rl":{"entries":[…]}}, matched back through entries[].query_hash.<hash_type>, never by
  //! position. Hashes the reply leaves out are simply absent from the map (the caller treats them as unknown).
  core::Result<std::map<std::string, intel::Verdict>> parse_bulk(const std::string& body, std::string_view hash_type);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace sb::rl
