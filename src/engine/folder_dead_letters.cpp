// File-based dead letters; names carry the time and a sequence so nothing is overwritten.
#include "engine/folder_dead_letters.hpp"

#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/files.hpp"
#include "core/json_writer.hpp"

namespace sb::engine {

std::string error_sidecar_json(std::string_view file, const core::Error& reason) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("file").value(file).key("reason").value(reason.message);
  w.key("offset");
  if (reason.offset) {
    w.value(static_cast<int64_t>(*reason.offset));
  } else {
    w.null();
  }
  w.key("time").value(core::now_iso8601_utc()).end_object();
  out += '\n';
  return out;
}

core::Status FolderDeadLetters::record(std::string_view source, std::string_view name, const core::Error& reason,
                                       std::string_view location, std::string_view payload) {
  if (!location.empty()) return {};  // the input already sits in a quarantine folder with its sidecar
  if (auto status = core::ensure_folder(folder_); !status) return status;
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const auto base = folder_ / fmt::format("{}-{}-{}-{}", source, millis, ::getpid(), ++sequence_);
  if (!payload.empty()) {
    if (auto status = core::write_file_atomic(base.string() + ".json", payload); !status) return status;
  }
  return core::write_file_atomic(base.string() + ".json.error.json", error_sidecar_json(name, reason));
}

}  // namespace sb::engine
