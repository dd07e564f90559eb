// Folder source. The watch is set before the backfill listing so no file can slip between them;
// duplicates between the two are dropped through queued_.
#include "sources/folder_source.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/files.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/settings.hpp"
#include "core/stop.hpp"
#include "engine/folder_dead_letters.hpp"
#include "sources/source_entry.hpp"

namespace sb::sources {
namespace fs = std::filesystem;

namespace {

constexpr int kPollSliceMs = 200;  // how often a blocked next() looks at the stop flag
constexpr size_t kEventBufferBytes = 64 * 1024;

struct StatResult {
  bool ok = false;
  bool regular = false;
  struct stat st {};
};

StatResult stat_path(const fs::path& path) {
  StatResult r;
  r.ok = ::stat(path.c_str(), &r.st) == 0;
  r.regular = r.ok && S_ISREG(r.st.st_mode);
  return r;
}

int64_t mtime_ns(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

bool is_ignored_name(std::string_view name) {
  return name.empty() || name.front() == '.' || name.ends_with(".tmp");
}

core::Result<std::unique_ptr<FolderSource>> FolderSource::create(FolderSourceOptions options) {
  std::unique_ptr<FolderSource> source(new FolderSource(std::move(options)));
  if (auto status = source->start(); !status) return status.error();
  return source;
}

FolderSource::~FolderSource() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

core::Status FolderSource::start() {
  done_ = options_.inbox / "done";
  failed_ = options_.inbox / "failed";
  for (const auto& folder : {options_.inbox, done_, failed_}) {
    if (auto status = core::ensure_folder(folder); !status) return status;
  }
  if (!options_.once) {
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) return core::make_error(fmt::format("inotify: {}", std::strerror(errno)));
    // Close-after-write and rename-into-place are the two ways a complete file appears.
    if (::inotify_add_watch(inotify_fd_, options_.inbox.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
      return core::make_error(fmt::format("cannot watch {}: {}", options_.inbox.string(), std::strerror(errno)));
    }
  }
  scan_folder();
  return {};
}

void FolderSource::scan_folder() {
  struct Found {
    int64_t mtime;
    int64_t size;
    std::string name;
  };
  std::vector<Found> found;
  auto names = core::list_regular_files(options_.inbox);
  if (!names)
    core::log_error("cannot list inbox", {{"folder", options_.inbox.string()}, {"reason", names.error().message}});
  for (const auto& name : names ? *names : std::vector<std::string>{}) {
    if (is_ignored_name(name)) continue;
    const auto st = stat_path(options_.inbox / name);
    if (!st.regular) continue;
    found.push_back({mtime_ns(st.st), static_cast<int64_t>(st.st.st_size), name});
  }
  // Oldest first, so a backlog is ingested in arrival order.
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.mtime != b.mtime ? a.mtime < b.mtime : a.name < b.name; });
  const auto now_wall = std::chrono::system_clock::now().time_since_epoch();
  for (const auto& f : found) {
    if (queued_.contains(f.name) || pending_.contains(f.name) || deferred_.contains(f.name)) continue;
    const auto age = std::chrono::nanoseconds(now_wall) - std::chrono::nanoseconds(f.mtime);
    if (age >= options_.settle) {
      offer(f.name);
    } else {
      deferred_[f.name] = Deferred{Clock::now() + options_.settle, f.size, f.mtime};
    }
  }
}

void FolderSource::offer(const std::string& name) {
  deferred_.erase(name);
  pending_.erase(name);
  // Already queued, or in flight (acknowledge() compares the file's identity and re-reads a replaced one).
  if (queued_.contains(name)) return;
  queued_.insert(name);
  ready_.push_back(name);
}

void FolderSource::wait_for_events(int timeout_ms, const std::stop_token& stop) const {
  if (timeout_ms <= 0) return;
  if (inotify_fd_ < 0) {
    core::sleep_unless_stopped(stop, std::chrono::milliseconds(timeout_ms));
    return;
  }
  pollfd pfd{inotify_fd_, POLLIN, 0};
  ::poll(&pfd, 1, timeout_ms);
}

void FolderSource::read_events() {
  if (inotify_fd_ < 0) return;
  alignas(inotify_event) char buffer[kEventBufferBytes];
  while (true) {
    const auto n = ::read(inotify_fd_, buffer, sizeof(buffer));  // non-blocking fd: ends with EAGAIN
    if (n <= 0) break;
    for (ssize_t pos = 0; pos < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + pos);
      pos += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if ((event->mask & IN_Q_OVERFLOW) != 0) {
        core::log_warn("inotify queue overflowed; rescanning the inbox", {{"folder", options_.inbox.string()}});
        scan_folder();
        continue;
      }
      if (event->len == 0 || (event->mask & IN_ISDIR) != 0) continue;
      const std::string name(event->name);
      if (is_ignored_name(name)) continue;
      // An event for a name in flight means the file was rewritten meanwhile: remembered for acknowledge().
      if (queued_.contains(name)) {
        rewritten_.insert(name);
        continue;
      }
      offer(name);
    }
  }
}

void FolderSource::promote_due() {
  const auto now = Clock::now();
  std::vector<std::string> due;
  for (const auto& [name, deferred] : deferred_) {
    if (deferred.due <= now) due.push_back(name);
  }
  for (const auto& name : due) {
    auto& deferred = deferred_.at(name);
    const auto st = stat_path(options_.inbox / name);
    if (!st.regular) {
      deferred_.erase(name);
      pending_.erase(name);
      continue;
    }
    const bool settling = !pending_.contains(name);
    const int64_t size = st.st.st_size;
    if (settling && (size != deferred.size || mtime_ns(st.st) != deferred.mtime_ns)) {
      deferred = Deferred{now + options_.settle, size, mtime_ns(st.st)};  // still being written
      continue;
    }
    offer(name);
  }
}

int FolderSource::next_timeout_ms() const {
  int timeout = kPollSliceMs;
  const auto now = Clock::now();
  for (const auto& [name, deferred] : deferred_) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deferred.due - now).count();
    timeout = std::min<int>(timeout, static_cast<int>(std::max<int64_t>(ms, 0)));
  }
  return timeout;
}

std::optional<engine::Input> FolderSource::next(const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    read_events();
    promote_due();
    if (!ready_.empty()) {
      const std::string name = ready_.front();
      ready_.pop_front();
      // Events before this read are about content it sees; only later ones mean the file was rewritten.
      rewritten_.erase(name);
      const fs::path path = options_.inbox / name;
      const auto st = stat_path(path);
      if (!st.regular) {  // gone (moved away by someone else) between the event and now
        queued_.erase(name);
        continue;
      }
      engine::Input input;
      input.name = path.string();
      input.token = next_token_++;
      in_flight_[input.token] = {name, Identity{st.st.st_dev, st.st.st_ino, st.st.st_size, mtime_ns(st.st)}};
      // Read without the lock: a report may be 256 MiB, and acknowledge() must not wait for it.
      lock.unlock();
      auto content = core::read_file_bounded(path, options_.max_bytes, core::kInputPadding);
      if (content) {
        input.bytes = std::move(content).value();
      } else {
        input.read_error = content.error();
      }
      return input;
    }
    // --once ends when nothing is ready and nothing is settling; pending files stay for a later run.
    bool settling = false;
    for (const auto& [name, deferred] : deferred_) settling = settling || !pending_.contains(name);
    if (options_.once && !settling) return std::nullopt;
    const int timeout = next_timeout_ms();
    lock.unlock();
    wait_for_events(timeout, stop);
    lock.lock();
  }
  return std::nullopt;
}

bool FolderSource::moved_other_file(const fs::path& moved, const Identity& read, const fs::path& inbox_path) {
  // Between the identity check and the move a writer may have renamed new content into place; then the
  // move took a file nobody read. Put it back so it is read.
  const auto st = stat_path(moved);
  if (!st.ok || (st.st.st_dev == read.device && st.st.st_ino == read.inode)) return false;
  if (core::rename_no_replace(moved, inbox_path) != 0) {
    core::log_error("a new file replaced an input while it was moved and cannot be put back; ingest it by hand",
                    {{"file", moved.string()}, {"reason", std::strerror(errno)}});
    return false;
  }
  return true;
}

core::Result<engine::Acknowledgement> FolderSource::settle_file(const std::string& name, const Identity& identity,
                                                                const engine::Input& input, engine::Outcome outcome,
                                                                const core::Error* reason) {
  const fs::path path = options_.inbox / name;
  // A file replaced while we processed it holds content we never read: keep it and read it again.
  const auto st = stat_path(path);
  const bool replaced =
      !st.regular || !(Identity{st.st.st_dev, st.st.st_ino, st.st.st_size, mtime_ns(st.st)} == identity);
  if (replaced) {
    if (st.regular) core::log_info("file changed while it was processed; reading it again", {{"file", input.name}});
    return engine::Acknowledgement{true, {}};
  }
  switch (outcome) {
    case engine::Outcome::kDone: {
      auto moved = core::move_into_folder(path, done_);
      if (!moved) return moved.error();
      if (moved_other_file(*moved, identity, path)) return engine::Acknowledgement{true, {}};
      return engine::Acknowledgement{};
    }
    case engine::Outcome::kPending: return engine::Acknowledgement{};
    case engine::Outcome::kFailed: {
      auto moved = core::move_into_folder(path, failed_);
      if (!moved) return moved.error();
      if (moved_other_file(*moved, identity, path)) return engine::Acknowledgement{true, {}};
      const core::Error fallback = core::make_error("unknown error");
      const auto sidecar = fs::path(moved->string() + ".error.json");
      if (auto status =
              core::write_file_atomic(sidecar, engine::error_sidecar_json(input.name, reason ? *reason : fallback));
          !status) {
        return status.error();
      }
      return engine::Acknowledgement{false, moved->string()};
    }
  }
  return engine::Acknowledgement{};
}

core::Result<engine::Acknowledgement> FolderSource::acknowledge(const engine::Input& input, engine::Outcome outcome,
                                                                const core::Error* reason) {
  std::string name;
  Identity identity;
  {
    const std::lock_guard lock(mutex_);
    const auto it = in_flight_.find(input.token);
    if (it == in_flight_.end()) return core::make_error(fmt::format("{} was acknowledged twice", input.name));
    name = it->second.first;
    identity = it->second.second;
    in_flight_.erase(it);
    // The name stays in queued_ until the file is settled, so next() does not offer it again meanwhile.
  }
  // The moves and the sidecar happen without the lock: next() goes on reading other files.
  auto result = settle_file(name, identity, input, outcome, reason);
  const std::lock_guard lock(mutex_);
  read_events();  // events that came while the file was in flight land in rewritten_
  queued_.erase(name);
  const bool rewritten = rewritten_.erase(name) > 0;
  if (!result) {
    // Not moved (done/ unwritable, the disk full): the file stays and is offered again after a pause, in a
    // watching run; a --once run leaves it for the next run.
    const auto st = stat_path(options_.inbox / name);
    if (!options_.once && st.regular) {
      deferred_[name] =
          Deferred{Clock::now() + options_.pending_recheck, static_cast<int64_t>(st.st.st_size), mtime_ns(st.st)};
    }
    return result;
  }
  if (outcome == engine::Outcome::kPending && !result->requeued) {
    pending_.insert(name);
    if (!options_.once) deferred_[name] = Deferred{Clock::now() + options_.pending_recheck};
    return result;
  }
  // The file was replaced while in flight, or a new file of the same name arrived while the old one was moved.
  const auto st = stat_path(options_.inbox / name);
  if (!st.regular) return result;
  if (rewritten) {
    offer(name);  // a writer closed it or renamed it into place: it is complete
  } else if (result->requeued || !options_.once) {
    // Changed without a close or rename in our sight (still being written, or touched): read it once it is quiet.
    // (A --once run has stopped asking by the time its last batch is acknowledged: the file stays for the next.)
    deferred_[name] = Deferred{Clock::now() + options_.settle, static_cast<int64_t>(st.st.st_size), mtime_ns(st.st)};
  }
  return result;
}

namespace {

struct FolderSettings {
  std::string path;
  std::chrono::milliseconds settle{1000};
  std::chrono::seconds pending_recheck{30};
};

core::Settings<FolderSettings> folder_settings(const engine::PipelineTraits& pipeline) {
  core::Settings<FolderSettings> settings;
  settings.text(
      "path", &FolderSettings::path, "",
      fmt::format("Inbox folder watched for {}s; empty means <data_dir>/inbox/{}. done/ and failed/ live inside "
                  "it.",
                  pipeline.noun, pipeline.inbox));
  settings.duration("settle_ms", &FolderSettings::settle, 1000,
                    "A file found at start-up that changed less than this long ago is read once it is quiet "
                    "(milliseconds).",
                    0, 3'600'000);
  if (pipeline.inputs_can_be_pending) {
    settings.duration(
        "pending_recheck_seconds", &FolderSettings::pending_recheck, 30,
        fmt::format("How often a {} that was still processing (processed: null) is read again.", pipeline.noun), 1,
        86'400);
  }
  return settings;
}

std::filesystem::path inbox_of(const SourceContext& context, const FolderSettings& settings) {
  if (!settings.path.empty()) return settings.path;
  return context.data_dir / "inbox" / std::string(context.pipeline.inbox);
}

core::Result<std::unique_ptr<engine::Source>> make_folder_source(const SourceContext& context) {
  auto settings = folder_settings(context.pipeline).read(context.config, context.section);
  if (!settings) return settings.error();
  FolderSourceOptions options;
  options.inbox = inbox_of(context, *settings);
  options.max_bytes = context.max_input_bytes;
  options.settle = settings->settle;
  options.pending_recheck = settings->pending_recheck;
  options.once = context.once;
  auto source = FolderSource::create(std::move(options));
  if (!source) return source.error();
  return std::unique_ptr<engine::Source>(std::move(source).value());
}

void check_inbox(const SourceContext& context, core::DoctorReport& report) {
  const std::string check = std::string(context.pipeline.name) + " inbox";
  auto settings = folder_settings(context.pipeline).read(context.config, context.section);
  if (!settings) {
    report.fail(check, settings.error().message);
    return;
  }
  const auto inbox = inbox_of(context, *settings);
  if (auto status = core::ensure_folder(inbox); status) {
    report.ok(check, inbox.string());
  } else {
    report.fail(check, status.error().message);
  }
}

}  // namespace

const SourceEntry& folder_source_entry() {
  static const SourceEntry entry{
      .name = "folder",
      .summary = "A watched inbox folder: backfilled, then watched with inotify; files move to done/ or failed/.",
      .keys = [](const engine::PipelineTraits& pipeline,
                 std::string_view section) { return folder_settings(pipeline).keys(section); },
      .make = make_folder_source,
      .doctor = check_inbox,
  };
  return entry;
}

}  // namespace sb::sources
