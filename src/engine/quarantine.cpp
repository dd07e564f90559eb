// Quarantine records: moved first, recorded second, outside any batch, so the record is written once and
// names where the input now is.
#include "engine/quarantine.hpp"

#include "core/log.hpp"

namespace sb::engine {

core::Status record_quarantine(Source& source, DeadLetterRecorder* dead_letters, const Input& input,
                               const core::Error& reason, const core::Result<Acknowledgement>& ack) {
  const auto& name = input.name;
  if (!ack) {
    core::log_error("input is bad but could not be moved to failed/",
                    {{"input", name}, {"reason", reason.message}, {"move_error", ack.error().message}});
  } else if (!ack->location.empty()) {
    core::log_error("input quarantined", {{"input", name}, {"reason", reason.message}, {"moved_to", ack->location}});
  } else {
    core::log_error("input quarantined as a dead letter", {{"input", name}, {"reason", reason.message}});
  }
  if (dead_letters == nullptr) return {};
  const std::string location = ack ? ack->location : std::string();
  // A source that keeps nothing (a stream) leaves the payload to the record.
  const auto traits = source.traits();
  const std::string_view payload = traits.keeps_inputs ? std::string_view() : std::string_view(input.bytes);
  auto status = dead_letters->record(traits.kind, name, reason, location, payload);
  if (!status) core::log_error("cannot record dead letter", {{"input", name}, {"reason", status.error().message}});
  return status;
}

}  // namespace sb::engine
