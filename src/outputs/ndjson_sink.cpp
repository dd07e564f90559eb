// NDJSON sink: rows are serialised into the batch buffer of an NdjsonFile.
#include "outputs/ndjson_sink.hpp"

#include "detect/row_json.hpp"

namespace sb::outputs {

core::Result<std::unique_ptr<NdjsonSink>> NdjsonSink::create(const std::string& path) {
  auto file = NdjsonFile::open(path);
  if (!file) return file.error();
  return std::unique_ptr<NdjsonSink>(new NdjsonSink(std::move(file).value()));
}

core::Status NdjsonSink::write(const std::vector<detect::Row>& rows) {
  for (const auto& row : rows) {
    auto& buffer = file_->buffer();
    detect::append_row_json(buffer, row);
    buffer.push_back('\n');
    if (auto status = file_->wrote(); !status) return status;
  }
  return {};
}

}  // namespace sb::outputs
