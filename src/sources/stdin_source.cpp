// The stdin source: read in chunks, split into documents, hand each one out as an input named label#N.
#include "sources/stdin_source.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/log.hpp"
#include "sources/source_entry.hpp"

namespace sb::sources {

namespace {
constexpr size_t kReadChunk = 256 * 1024;
constexpr int kPollSliceMs = 200;
}  // namespace

std::optional<engine::Input> StdinSource::next(const std::stop_token& stop) {
  if (chunk_.empty()) chunk_.resize(kReadChunk);
  while (true) {
    if (auto doc = splitter_.take()) {
      engine::Input input;
      input.token = ++count_;
      {
        const std::lock_guard lock(mutex_);
        in_flight_.insert(input.token);
      }
      input.name = fmt::format("{}#{}", label_, count_);
      if (doc->oversized) {
        input.read_error = core::make_error(
            fmt::format("document is {} bytes, over the limit of {} bytes (max_report_bytes)", doc->size, max_bytes_));
      } else {
        input.bytes = std::move(doc->text);
      }
      return input;
    }
    if (eof_) return std::nullopt;
    if (stop.stop_requested()) {
      // Bytes of a half-read document were consumed from the stream: hand them out (the parser rejects
      // them as truncated) so they become a dead letter with their payload instead of vanishing.
      eof_ = true;
      splitter_.finish();
      continue;
    }
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kPollSliceMs);
    if (ready == 0) continue;
    if (ready < 0 && errno == EINTR) continue;
    const auto n = ::read(fd_, chunk_.data(), chunk_.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      core::log_error("cannot read input stream; treating it as ended",
                      {{"input", label_}, {"reason", std::strerror(errno)}});
    }
    if (n <= 0) {
      eof_ = true;
      splitter_.finish();
      continue;
    }
    splitter_.feed(std::string_view(chunk_.data(), static_cast<size_t>(n)));
  }
}

core::Result<engine::Acknowledgement> StdinSource::acknowledge(const engine::Input& input, engine::Outcome,
                                                               const core::Error*) {
  const std::lock_guard lock(mutex_);
  if (in_flight_.erase(input.token) == 0) return core::make_error(fmt::format("{} was acknowledged twice", input.name));
  return engine::Acknowledgement{};
}

const SourceEntry& stdin_source_entry() {
  static const SourceEntry entry{
      .name = "stdin",
      .summary = "JSON documents on standard input (NDJSON, concatenated or pretty-printed), until its end.",
      .keys = [](const engine::PipelineTraits&, std::string_view) { return std::vector<core::KeySpec>{}; },
      .make = [](const SourceContext& context) -> core::Result<std::unique_ptr<engine::Source>> {
        return std::unique_ptr<engine::Source>(
            std::make_unique<StdinSource>(STDIN_FILENO, "stdin", context.max_input_bytes));
      },
      .doctor = {},
  };
  return entry;
}

}  // namespace sb::sources
