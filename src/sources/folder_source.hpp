// Folder source: backfills a folder, then watches it with inotify; acknowledges by moving files to
// done/ or failed/ (with a NAME.error.json sidecar). Only complete files are read.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "engine/source.hpp"

namespace sb::sources {

struct FolderSourceOptions {
  std::filesystem::path inbox;
  size_t max_bytes = 0;
  //! A file modified less than this long ago may still be written by a writer that never closes it
  //! in our sight (backfill); it is read once it has been quiet this long.
  std::chrono::milliseconds settle{1000};
  //! How often a report that was still pending is looked at again.
  std::chrono::milliseconds pending_recheck{std::chrono::seconds(30)};
  //! Drain what is there and stop (no watching, pending files stay).
  bool once = false;
};

class FolderSource final : public engine::Source {
 public:
  static core::Result<std::unique_ptr<FolderSource>> create(FolderSourceOptions options);
  ~FolderSource() override;

  std::optional<engine::Input> next(const std::stop_token& stop) override;
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input& input, engine::Outcome outcome,
                                                    const core::Error* reason) override;
  engine::SourceTraits traits() const override {
    return {.kind = "folder", .keeps_inputs = true, .can_defer = true, .lease = std::nullopt};
  }
  std::string describe() const override { return "folder " + options_.inbox.string(); }

  //! Files left in the inbox because their report is still pending.
  size_t pending_files() const {
    const std::lock_guard lock(mutex_);
    return pending_.size();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Identity {
    dev_t device = 0;
    ino_t inode = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Identity&) const = default;
  };

  explicit FolderSource(FolderSourceOptions options) : options_(std::move(options)) {}
  core::Status start();
  void scan_folder();
  void offer(const std::string& name);
  //! Blocks (without the lock) until inotify has events or `timeout_ms` passes.
  void wait_for_events(int timeout_ms, const std::stop_token& stop) const;
  //! Reads pending inotify events into the queues (lock held).
  void read_events();
  void promote_due();
  int next_timeout_ms() const;
  //! Moves or keeps the file as `outcome` says (no lock held: renames and the sidecar are I/O).
  core::Result<engine::Acknowledgement> settle_file(const std::string& name, const Identity& identity,
                                                    const engine::Input& input, engine::Outcome outcome,
                                                    const core::Error* reason);
  bool moved_other_file(const std::filesystem::path& moved, const Identity& read,
                        const std::filesystem::path& inbox_path);

  FolderSourceOptions options_;
  //! next() runs on the reader thread and acknowledge() on the writer thread: all state below is guarded, and the
  //! lock is released to block in poll(), to read a file and to move one.
  mutable std::mutex mutex_;
  std::filesystem::path done_;
  std::filesystem::path failed_;
  int inotify_fd_ = -1;
  std::deque<std::string> ready_;
  std::set<std::string> queued_;     // in ready_ or in flight
  std::set<std::string> rewritten_;  // queued names a writer closed or renamed into place again meanwhile
  //! Settling or pending files: when to look again, and the size/mtime seen last time. A file is settled
  //! once it did not change across one settle interval; its mtime is never compared with our clock, so
  //! a skewed clock (a future mtime from a file share) cannot hold it back for ever.
  struct Deferred {
    Clock::time_point due;
    int64_t size = -1;
    int64_t mtime_ns = -1;
  };
  std::map<std::string, Deferred> deferred_;
  std::set<std::string> pending_;
  std::map<uint64_t, std::pair<std::string, Identity>> in_flight_;
  uint64_t next_token_ = 1;
};

//! Names the folder source never reads: dot-files and *.tmp (files being written).
bool is_ignored_name(std::string_view name);

}  // namespace sb::sources
