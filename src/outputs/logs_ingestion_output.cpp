// One flush = one Delivery: the rows are cut greedily into requests that fill the 1 MB limit (as Azure's own SDK
// does), and `concurrency` workers send them. A 413 halves a request; a 400 halves it too, to find the row the
// service objects to, within a budget so that a request refused for a reason shared by all its rows costs a few
// calls, not one per row; 403, 404 and the other 4xx dead-letter the request's rows with the service's reason.
#include "outputs/logs_ingestion_output.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "core/gzip.hpp"
#include "core/log.hpp"
#include "core/settings.hpp"
#include "detect/field_limit.hpp"
#include "detect/row_json.hpp"
#include "outputs/output_entry.hpp"

namespace sb::outputs {
namespace {

// libdeflate level 1 shrinks report rows about fivefold at several hundred MB/s; higher levels save little
// network and cost CPU, while the service bills the uncompressed size anyway.
constexpr int kGzipLevel = 1;
// Halvings spent per flush looking for rows behind 400s.
constexpr int kRejectedSplitBudget = 32;
constexpr double kSecondsPerMinute = 60.0;
constexpr size_t kRecordIdColumn = static_cast<size_t>(detect::ColumnId::kRecordId);

std::string row_name(const detect::Row& row) {
  const auto& task = row[detect::ColumnId::kTaskId];
  const auto& index = row[detect::ColumnId::kIndex];
  std::string name = task.is_null() ? "task ?" : task.text;
  name += '#';
  name += index.kind == detect::Cell::Kind::kInt ? std::to_string(index.integer) : "?";
  return name;
}

//! Rows [first, first + count) of the pending list.
struct Span {
  size_t first = 0;
  size_t count = 0;
};

}  // namespace

//! The state of one flush, shared by its workers.
class LogsIngestionOutput::Delivery {
 public:
  Delivery(LogsIngestionOutput& sink, std::deque<Span> work) : sink_(sink), work_(std::move(work)) {}

  void run_workers(int count) {
    std::vector<std::thread> helpers;
    for (int i = 1; i < count; ++i) helpers.emplace_back([this] { work(); });
    work();
    for (auto& helper : helpers) helper.join();
  }

  std::vector<DeadRow>& dead() { return dead_; }
  std::vector<size_t>& delivered() { return delivered_; }
  const std::optional<core::Error>& failure() const { return failure_; }

 private:
  void work() {
    core::GzipCompressor compressor(kGzipLevel);
    std::string json;
    while (auto span = next()) {
      handle(*span, compressor, json);
      finish();
    }
  }

  std::optional<Span> next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return failure_ || !work_.empty() || in_flight_ == 0; });
    if (failure_ || work_.empty()) return std::nullopt;
    const Span span = work_.front();
    work_.pop_front();
    ++in_flight_;
    return span;
  }

  void finish() {
    const std::lock_guard lock(mutex_);
    --in_flight_;
    changed_.notify_all();
  }

  void split(Span span) {
    const size_t half = span.count / 2;
    ++sink_.counters_.splits;
    const std::lock_guard lock(mutex_);
    work_.push_front({span.first + half, span.count - half});
    work_.push_front({span.first, half});
  }

  void kill(Span span, const std::string& reason) {
    const std::lock_guard lock(mutex_);
    for (size_t i = span.first; i < span.first + span.count; ++i) dead_.push_back({i, reason});
  }

  void fail(core::Error error) {
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::move(error);
  }

  void handle(Span span, core::GzipCompressor& compressor, std::string& json) {
    // Consecutive rows are one slice of the batch's JSON, commas included.
    const auto& first = sink_.pending_[span.first];
    const auto& last = sink_.pending_[span.first + span.count - 1];
    json.assign(1, '[');
    json.append(sink_.batch_json_, first.offset, last.offset + last.length - first.offset);
    json.push_back(']');
    const auto& options = sink_.options_;
    std::string_view wire = json;
    if (options.gzip) {
      wire = compressor.compress(json);
      // Only data that does not compress grows under gzip, by a few bytes per 64 KB block.
      if (wire.size() > options.max_request_bytes) {
        if (span.count == 1) {
          kill(span, "the row is " + std::to_string(wire.size()) +
                         " bytes even after gzip; one request holds at most " +
                         std::to_string(options.max_request_bytes));
        } else {
          split(span);
        }
        return;
      }
    }
    if (!sink_.request_budget_.acquire(options.stop) ||
        !sink_.byte_budget_.acquire(options.stop, static_cast<double>(json.size()))) {
      fail(core::make_error("logs ingestion: stop requested while waiting for the DCR's rate budget"));
      return;
    }
    const size_t json_bytes = json.size();
    const size_t wire_bytes = wire.size();
    auto& largest = sink_.counters_.largest_json_bytes;
    for (uint64_t seen = largest.load(); seen < json_bytes && !largest.compare_exchange_weak(seen, json_bytes);) {
    }
    const auto result = sink_.client_->upload(std::string(wire), options.gzip);
    if (result.accepted()) {
      sink_.counters_.json_bytes += json_bytes;
      sink_.counters_.wire_bytes += wire_bytes;
      ++sink_.counters_.delivered_requests;
      const std::lock_guard lock(mutex_);
      for (size_t i = span.first; i < span.first + span.count; ++i) delivered_.push_back(i);
      return;
    }
    if (result.error->kind != core::ErrorKind::kRefusedItem) {
      // Not these rows' fault (no answer, throttled past the retries, a token problem): keep them for the retry.
      core::Error error = *result.error;
      error.message = "logs ingestion: " + std::to_string(span.count) + " rows not delivered for now: " + error.message;
      return fail(std::move(error));
    }
    if (result.status == http::kPayloadTooLarge && span.count > 1) return split(span);
    if (result.status == http::kBadRequest && span.count > 1 && take_split()) return split(span);
    return refuse(span, result);
  }

  bool take_split() {
    const std::lock_guard lock(mutex_);
    if (split_budget_ == 0) return false;
    --split_budget_;
    return true;
  }

  void refuse(Span span, const azure::UploadResult& result) {
    const std::string reason = "Logs Ingestion refused the request: " + result.error->message;
    core::log_error("logs ingestion refused rows; they go to the dead letters",
                    {{"rows", span.count},
                     {"first_row", row_name(*sink_.pending_[span.first].row)},
                     {"status", result.status},
                     {"x_ms_request_id", result.request_id},
                     {"x_ms_error_code", result.error_code},
                     {"x_ms_client_request_id", result.client_request_id},
                     {"reason", result.service_message},
                     {"fix", azure::logs_ingestion_hint(result.status)}});
    kill(span, reason);
  }

  LogsIngestionOutput& sink_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Span> work_;
  size_t in_flight_ = 0;
  int split_budget_ = kRejectedSplitBudget;
  std::optional<core::Error> failure_;
  std::vector<DeadRow> dead_;
  std::vector<size_t> delivered_;
};

LogsIngestionOutput::LogsIngestionOutput(std::unique_ptr<azure::LogsIngestionClient> client,
                                         engine::DeadLetterRecorder* dead_letters, LogsIngestionOptions options)
    : client_(std::move(client)),
      dead_letters_(dead_letters),
      options_(std::move(options)),
      request_budget_(options_.max_requests_per_minute / kSecondsPerMinute,
                      options_.max_requests_per_minute / kSecondsPerMinute),
      // A burst of one second's worth, but never less than one full request.
      byte_budget_(options_.max_bytes_per_minute / kSecondsPerMinute,
                   std::max(options_.max_bytes_per_minute / kSecondsPerMinute,
                            static_cast<double>(options_.max_request_bytes))) {}

core::Status LogsIngestionOutput::write(std::span<const detect::Row> rows) {
  for (const auto& row : rows) {
    const std::string_view record_id = row[detect::ColumnId::kRecordId].text;
    // Delivered already, or twice in this batch (the same report in two files): Log Analytics would keep both.
    if (settled_.contains(record_id) || !batch_ids_.insert(record_id).second) continue;
    std::optional<detect::Row> cut;
    for (size_t i = 0; i < detect::kColumnCount; ++i) {
      auto cell = detect::cut_to_limit(row.cells[i], options_.max_field_bytes);
      if (!cell) continue;
      if (!cut) cut = row;
      cut->cells[i] = std::move(*cell);
      ++counters_.fields_truncated;
      core::log_warn("a field is longer than Logs Ingestion keeps; sent cut, with a note saying so",
                     {{"row", row_name(row)},
                      {"record_id", record_id},
                      {"column", detect::kColumns[i].name},
                      {"bytes", row.cells[i].text.size()},
                      {"limit", options_.max_field_bytes}});
    }
    if (!pending_.empty()) batch_json_.push_back(',');
    const size_t offset = batch_json_.size();
    detect::append_row_json(batch_json_, cut ? *cut : row);
    pending_.push_back({&row, offset, batch_json_.size() - offset});
  }
  return {};
}

core::Status LogsIngestionOutput::flush() {
  if (pending_.empty()) return {};
  // Greedy cut in arrival order: a request's JSON is "[" + rows joined by "," + "]".
  std::deque<Span> work;
  std::vector<DeadRow> oversize;
  Span open;
  size_t open_bytes = 2;
  for (size_t i = 0; i < pending_.size(); ++i) {
    const size_t size = pending_[i].length;
    if (size + 2 > options_.max_request_bytes) {
      oversize.push_back({i, "the row is " + std::to_string(size) +
                                 " bytes of JSON; one Logs Ingestion request holds " + "at most " +
                                 std::to_string(options_.max_request_bytes)});
      continue;
    }
    const size_t added = size + (open.count > 0 ? 1 : 0);
    if (open.count > 0 && (open_bytes + added > options_.max_request_bytes || open.first + open.count != i)) {
      work.push_back(open);
      open = {i, 0};
      open_bytes = 2;
    }
    if (open.count == 0) open.first = i;
    open_bytes += size + (open.count > 0 ? 1 : 0);
    ++open.count;
  }
  if (open.count > 0) work.push_back(open);

  Delivery delivery(*this, std::move(work));
  delivery.run_workers(std::max(1, std::min<int>(options_.concurrency, static_cast<int>(pending_.size()))));
  for (const size_t i : delivery.delivered()) settled_.emplace(pending_[i].row->cells[kRecordIdColumn].text);
  counters_.rows_delivered += delivery.delivered().size();

  auto& dead = delivery.dead();
  dead.insert(dead.end(), std::make_move_iterator(oversize.begin()), std::make_move_iterator(oversize.end()));
  core::Status result;
  for (const auto& row : dead) {
    const auto& pending = pending_[row.index];
    const auto name = row_name(*pending.row);
    // The payload is the row as it would have been sent (it carries its record_id), ready for a replay.
    const std::string_view json(batch_json_.data() + pending.offset, pending.length);
    if (auto recorded = dead_letters_->record("logs_ingestion", name, core::make_error(row.reason), {}, json);
        !recorded) {
      result = recorded.error().with_context("logs ingestion: cannot record a dead-lettered row (" + name + ")");
      break;
    }
    settled_.emplace(pending.row->cells[kRecordIdColumn].text);
    ++counters_.rows_dead_lettered;
  }
  if (!dead.empty() && result) {
    core::log_error("rows dead-lettered by the logs ingestion sink",
                    {{"rows", dead.size()},
                     {"first_row", row_name(*pending_[dead.front().index].row)},
                     {"reason", dead.front().reason}});
  }
  if (result && delivery.failure()) result = *delivery.failure();
  // The batch ends here whatever happened: what was not settled comes back through write() on the retry.
  discard();
  return result;
}

std::string LogsIngestionOutput::summary() const {
  const auto& c = counters_;
  const uint64_t delivered = c.delivered_requests.load();
  std::string out = "Logs Ingestion (" + client_->target().stream + "): " + std::to_string(c.rows_delivered.load()) +
                    " row(s) delivered in " + std::to_string(delivered) + " request(s)";
  if (delivered > 0) {
    const double json = static_cast<double>(c.json_bytes.load());
    out += fmt::format(" (on average {:.1f}% of the {}-byte limit; gzip sent {:.1f}% of the bytes)",
                       100.0 * json / static_cast<double>(delivered) / static_cast<double>(options_.max_request_bytes),
                       options_.max_request_bytes, 100.0 * static_cast<double>(c.wire_bytes.load()) / json);
  }
  out += "; dead-lettered: " + std::to_string(c.rows_dead_lettered.load());
  if (c.fields_truncated > 0)
    out += "; fields cut to " + std::to_string(options_.max_field_bytes) +
           " bytes: " + std::to_string(c.fields_truncated.load());
  return out + ".\n";
}

void LogsIngestionOutput::discard() {
  pending_.clear();
  batch_json_.clear();
  batch_ids_.clear();
}

void LogsIngestionOutput::committed() {
  settled_.clear();
}

namespace {

struct LogsIngestionSettings {
  std::string endpoint;
  std::string dcr_immutable_id;
  std::string stream;
  int concurrency = 2;
  std::string scope;
  bool gzip = true;
  double max_requests_per_minute = 12'000;
  double max_bytes_per_minute = 2e9;
};

const core::Settings<LogsIngestionSettings>& logs_ingestion_settings() {
  static const core::Settings<LogsIngestionSettings> settings = [] {
    core::Settings<LogsIngestionSettings> table;
    table.url("endpoint", &LogsIngestionSettings::endpoint, "",
              "Logs ingestion endpoint: the DCR's own (kind Direct) or a data collection endpoint, e.g. "
              "https://my-dce-5kyl.eastus-1.ingest.monitor.azure.com.");
    table.text("dcr_immutable_id", &LogsIngestionSettings::dcr_immutable_id, "",
               "Immutable id of the data collection rule (dcr-…), from the DCR's JSON view.");
    table.text("stream", &LogsIngestionSettings::stream, "Custom-SpectraDetectLogs",
               "Stream declared in the DCR that feeds SpectraDetectLogs_CL.");
    table.number("concurrency", &LogsIngestionSettings::concurrency, 2, "Requests in flight.", 1, 32);
    table.text(
        "scope", &LogsIngestionSettings::scope, azure::kMonitorScope,
        "Token scope; sovereign clouds use https://monitor.azure.us/.default or https://monitor.azure.cn/.default.");
    table.flag("gzip", &LogsIngestionSettings::gzip, true,
               "Compress request bodies (requests stay within 1,048,576 bytes before and after).");
    table.number("max_requests_per_minute", &LogsIngestionSettings::max_requests_per_minute, 12'000,
                 "Request budget of this instance against the DCR (the service allows 12,000 per minute per DCR); 0 "
                 "means unlimited.",
                 0, 1'000'000);
    table.number("max_bytes_per_minute", &LogsIngestionSettings::max_bytes_per_minute, 2'000'000'000,
                 "Data budget against the DCR, uncompressed bytes (the service allows 2 GB per minute per DCR); 0 "
                 "means unlimited.",
                 0, INT64_MAX);
    return table;
  }();
  return settings;
}

core::Result<std::unique_ptr<azure::LogsIngestionClient>> make_client(const OutputContext& context,
                                                                      const LogsIngestionSettings& settings) {
  azure::LogsIngestionTarget target;
  target.endpoint = settings.endpoint;
  if (target.endpoint.empty()) return core::make_error(context.section + ".endpoint is empty");
  target.dcr_immutable_id = settings.dcr_immutable_id;
  target.stream = settings.stream;
  target.scope = settings.scope;
  auto tokens = context.azure.tokens();
  if (!tokens) return tokens.error();
  auto http = context.azure.http();
  if (!http) return http.error();
  return azure::LogsIngestionClient::create(std::move(target), std::move(tokens).value(), std::move(http).value());
}

core::Result<std::unique_ptr<engine::Output<detect::Row>>> make_output(const OutputContext& context) {
  auto settings = logs_ingestion_settings().read(context.config, context.section);
  if (!settings) return settings.error();
  auto client = make_client(context, *settings);
  if (!client) return client.error();
  LogsIngestionOptions options;
  options.concurrency = settings->concurrency;
  options.gzip = settings->gzip;
  options.max_requests_per_minute = settings->max_requests_per_minute;
  options.max_bytes_per_minute = settings->max_bytes_per_minute;
  options.stop = context.stop;
  return std::unique_ptr<engine::Output<detect::Row>>(
      std::make_unique<LogsIngestionOutput>(std::move(client).value(), context.dead_letters, options));
}

//! An empty array is a valid call that stores nothing: it proves the route, the DCR, the stream and the role.
void check(const OutputContext& context, core::DoctorReport& report) {
  auto settings = logs_ingestion_settings().read(context.config, context.section);
  if (!settings) {
    report.fail("logs ingestion", settings.error().message);
    return;
  }
  if (!context.azure.check_token(settings->scope, report)) return;
  auto client = make_client(context, *settings);
  if (!client) {
    report.fail("logs ingestion", client.error().message);
    return;
  }
  const auto result = (*client)->upload("[]", false);
  const std::string target =
      fmt::format("DCR {} stream {}", (*client)->target().dcr_immutable_id, (*client)->target().stream);
  if (result.accepted()) {
    report.ok("logs ingestion", target);
    return;
  }
  // The message carries the fix; a refusal of the identity also names which identity that was.
  std::string detail = fmt::format("{}: {}", target, result.error->message);
  if (!azure::logs_ingestion_hint(result.status).empty()) {
    if (auto tokens = context.azure.tokens()) detail += " — identity: " + (*tokens)->describe();
  }
  report.fail("logs ingestion", detail);
}

}  // namespace

const OutputEntry& logs_ingestion_output_entry() {
  static const OutputEntry entry{
      .name = "logs_ingestion",
      .summary = "The Azure Monitor Logs Ingestion API: rows to a DCR stream, gzip requests of at most 1 MB.",
      .keys = [](const engine::PipelineTraits&,
                 std::string_view section) { return logs_ingestion_settings().keys(section); },
      .rows = make_output,
      .enrichments = {},
      .dead_letters = {},
      .doctor = check,
  };
  return entry;
}

}  // namespace sb::outputs
