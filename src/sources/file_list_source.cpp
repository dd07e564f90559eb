// File-list source.
#include "sources/file_list_source.hpp"

#include "core/files.hpp"

namespace sb::sources {

std::optional<engine::Input> FileListSource::next(const std::stop_token& stop) {
  if (position_ >= paths_.size() || stop.stop_requested()) return std::nullopt;
  const auto& path = paths_[position_];
  engine::Input input;
  input.token = ++position_;
  input.name = path.string();
  auto content = core::read_file_bounded(path, max_bytes_, core::kInputPadding);
  if (content) {
    input.bytes = std::move(content).value();
  } else {
    input.read_error = content.error();
  }
  return input;
}

}  // namespace sb::sources
