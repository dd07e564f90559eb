// Parses Spectra Detect task reports (nested or flat view) into SpectraDetectLogs_CL rows.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/files.hpp"
#include "core/result.hpp"
#include "detect/row.hpp"

namespace sb::detect {

//! Bytes of slack a caller should reserve after the input (see read_file_bounded) to avoid a copy.
inline constexpr size_t kParserPadding = core::kInputPadding;

//! Reusable parser (keeps its buffers between inputs; one per thread).
class ReportParser {
 public:
  ReportParser();
  ~ReportParser();
  ReportParser(ReportParser&&) noexcept;
  ReportParser& operator=(ReportParser&&) noexcept;

  //! Parses one input: a task report object, or an array of them. `time_generated` is the ingestion
  //! time written to every row. All-or-nothing: an error means no rows. When one report is still
  //! pending (`processed: null`) the input yields no rows and pending() is true.
  core::Result<ParsedInput> parse(const std::string& bytes, std::string_view time_generated);

 private:
  struct Buffers;  // simdjson's parser, kept out of this header (it is large to compile)
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace sb::detect
