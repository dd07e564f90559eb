// Parses Defender XDR Streaming API messages (Event Hubs or storage export) into alerts with file hashes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "defender/alert.hpp"

namespace sb::defender {

//! A record that cannot be used, with why; the rest of its message still is.
struct RejectedRecord {
  std::string where;  // "records[3]", "line 2 records[0]", "line 5": where in the input it was
  std::string reason;
  std::string record_json;  // the record itself, compact, for the dead-letter place
};

struct ParsedMessage {
  std::vector<Alert> alerts;  // in the order first seen
  size_t evidence_records = 0;
  size_t info_records = 0;
  size_t other_records = 0;  // other AdvancedHunting tables: counted and skipped
  std::vector<RejectedRecord> rejected;
};

//! Reusable (keeps its buffers); one per thread.
class StreamingMessageParser {
 public:
  StreamingMessageParser();
  ~StreamingMessageParser();
  StreamingMessageParser(StreamingMessageParser&&) noexcept;
  StreamingMessageParser& operator=(StreamingMessageParser&&) noexcept;

  //! Accepts {"records":[…]} (Event Hubs), a single record object (storage export line), an array of
  //! records, or NDJSON of any of these (one per line). An error means the message as a whole is unusable (not JSON,
  //! records not an array); a bad record only lands in `rejected`.
  core::Result<ParsedMessage> parse(const std::string& bytes);

 private:
  struct Buffers;  // simdjson's parsers, kept out of this header (it is large to compile)
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace sb::defender
