// `flatten FILE... | -`: the rows of reports as NDJSON on stdout, one process for any number of files.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "core/log.hpp"
#include "core/stop.hpp"
#include "detect/report_parser.hpp"
#include "detect/row_json.hpp"
#include "sources/folder_source.hpp"
#include "sources/stdin_source.hpp"

namespace sb::app {
namespace {

constexpr size_t kOutputChunk = 1 << 20;

class Flattener {
 public:
  //! Returns false when the input was bad (message already printed).
  bool flatten(const std::string& name, const std::string& bytes) {
    auto parsed = parser_.parse(bytes, core::now_iso8601_utc());
    if (!parsed) {
      std::fputs(fmt::format("spectra-bridge flatten: {}: {}\n", name, parsed.error().message).c_str(), stderr);
      return false;
    }
    if (parsed->pending()) {
      std::fputs(fmt::format("spectra-bridge flatten: {}: report still processing (processed is null); no rows\n", name)
                     .c_str(),
                 stderr);
      return true;
    }
    for (const auto& row : parsed->rows) {
      detect::append_row_json(out_, row);
      out_.push_back('\n');
      if (out_.size() >= kOutputChunk) write_out();
    }
    return true;
  }

  //! False once stdout failed (full disk, closed pipe); the command then exits non-zero.
  bool write_out() {
    if (!out_.empty() && std::fwrite(out_.data(), 1, out_.size(), stdout) != out_.size()) write_failed_ = true;
    out_.clear();
    return !write_failed_;
  }
  bool write_failed() const { return write_failed_; }

 private:
  detect::ReportParser parser_;
  std::string out_;
  bool write_failed_ = false;
};

//! A folder stands for its report files (sorted; dot-files and *.tmp skipped, as the folder source does).
std::vector<std::filesystem::path> expand_input(const std::string& input) {
  if (!core::is_folder(input)) return {input};
  std::vector<std::filesystem::path> files;
  auto names = core::list_regular_files(input);
  if (!names) return {input};  // reading it then reports the error, naming it
  for (const auto& name : *names) {
    if (!sources::is_ignored_name(name)) files.push_back(std::filesystem::path(input) / name);
  }
  return files;
}

}  // namespace

int run_flatten_command(const GlobalOptions& globals, const std::vector<std::string>& inputs) {
  return with_app(globals, [&](AppContext& app, core::SignalStop&) {
    auto settings = read_ingest_settings(app.config);
    if (!settings) {
      std::fputs(fmt::format("spectra-bridge flatten: {}\n", settings.error().message).c_str(), stderr);
      return kExitUsage;
    }
    const size_t max_bytes = settings->max_report_bytes;
    Flattener flattener;
    size_t failed = 0;
    for (const auto& input : inputs) {
      if (input == "-") {
        sources::StdinSource stdin_source(STDIN_FILENO, "stdin", max_bytes);
        while (auto doc = stdin_source.next(app.stop)) {
          if (doc->read_error) {
            std::fputs(fmt::format("spectra-bridge flatten: {}: {}\n", doc->name, doc->read_error->message).c_str(),
                       stderr);
            ++failed;
          } else if (!flattener.flatten(doc->name, doc->bytes)) {
            ++failed;
          }
          (void)stdin_source.acknowledge(*doc, engine::Outcome::kDone, nullptr);
        }
        continue;
      }
      for (const auto& path : expand_input(input)) {
        if (app.stop.stop_requested()) break;
        auto bytes = core::read_file_bounded(path, max_bytes, detect::kParserPadding);
        if (!bytes) {
          std::fputs(fmt::format("spectra-bridge flatten: {}: {}\n", path.string(), bytes.error().message).c_str(),
                     stderr);
          ++failed;
          continue;
        }
        if (!flattener.flatten(path.string(), *bytes)) ++failed;
      }
    }
    if (app.stop.stop_requested()) {
      std::fputs("spectra-bridge flatten: interrupted; the rows written so far are complete\n", stderr);
      ++failed;
    }
    flattener.write_out();
    if (std::fflush(stdout) != 0 || flattener.write_failed()) {
      std::fputs(fmt::format("spectra-bridge flatten: cannot write the rows: {}\n", std::strerror(errno)).c_str(),
                 stderr);
      ++failed;
    }
    return failed > 0 ? kExitFailure : kExitOk;
  });
}

}  // namespace sb::app
