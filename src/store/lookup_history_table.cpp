// lookup_history: point reads by hash (primary key) and one transaction per batch of verdicts.
#include "store/lookup_history_table.hpp"

#include <simdjson.h>

#include <set>

#include "core/json_document.hpp"
#include "intel/verdict_json.hpp"
#include "store/store.hpp"
#include "store/transaction.hpp"

namespace sb::store {
namespace {}  // namespace

std::string lookup_history_ddl() {
  return "CREATE TABLE IF NOT EXISTS lookup_history (\n"
         "  hash TEXT PRIMARY KEY,\n"
         "  classification TEXT NOT NULL,\n"
         "  provider TEXT NOT NULL,\n"
         "  verdict TEXT NOT NULL,\n"
         "  looked_up_at TEXT NOT NULL,\n"
         "  expires_at INTEGER NOT NULL\n"
         ") WITHOUT ROWID;\n"
         "CREATE INDEX IF NOT EXISTS lookup_history_expires ON lookup_history (expires_at);\n";
}

struct SqliteLookupHistory::Buffers {
  simdjson::dom::parser parser;
};

SqliteLookupHistory::SqliteLookupHistory(std::unique_ptr<Database> db, Statement find, Statement remember,
                                         intel::HistoryTtl ttl)
    : db_(std::move(db)),
      find_(std::move(find)),
      remember_(std::move(remember)),
      ttl_(ttl),
      buffers_(std::make_unique<Buffers>()) {}

SqliteLookupHistory::~SqliteLookupHistory() = default;

core::Result<std::unique_ptr<SqliteLookupHistory>> SqliteLookupHistory::open(const std::filesystem::path& path,
                                                                             intel::HistoryTtl ttl) {
  auto db = open_store(path);
  if (!db) return db.error();
  auto find = (*db)->prepare("SELECT verdict FROM lookup_history WHERE hash = ? AND expires_at > ?");
  if (!find) return find.error();
  auto remember = (*db)->prepare(
      "INSERT OR REPLACE INTO lookup_history (hash, classification, provider, verdict, looked_up_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!remember) return remember.error();
  return std::unique_ptr<SqliteLookupHistory>(
      new SqliteLookupHistory(std::move(db).value(), std::move(find).value(), std::move(remember).value(), ttl));
}

core::Result<std::map<std::string, intel::Verdict>> SqliteLookupHistory::find(const std::vector<std::string>& hashes,
                                                                              core::SystemTime now) {
  const std::lock_guard lock(mutex_);
  std::map<std::string, intel::Verdict> found;
  const int64_t now_s = core::unix_seconds(now);
  for (const auto& hash : hashes) {
    find_.bind_text(1, hash).bind_int(2, now_s);
    auto row = find_.step();
    if (!row) {
      find_.reset();
      return row.error();
    }
    if (*row) {
      std::string text = find_.column_text(0);
      auto element = core::parse_json(buffers_->parser, text);
      auto verdict = element ? intel::read_verdict_json(*element) : core::Result<intel::Verdict>(element.error());
      // A damaged record is a miss, not a failure: the hash is simply asked about again.
      if (verdict) {
        verdict->hash = hash;
        found.emplace(hash, std::move(verdict).value());
      }
    }
    find_.reset();
  }
  return found;
}

core::Status SqliteLookupHistory::remember(const std::vector<intel::Verdict>& verdicts, core::SystemTime now) {
  if (verdicts.empty()) return {};
  const std::lock_guard lock(mutex_);
  auto transaction = Transaction::begin(*db_);
  if (!transaction) return transaction.error();
  const std::string looked_up_at = core::format_iso8601_utc(now);
  for (const auto& verdict : verdicts) {
    const std::string json = intel::verdict_json(verdict);
    const int64_t expires = core::unix_seconds(now) + ttl_.of(verdict.classification).count();
    std::set<std::string> keys{verdict.hash};
    for (const auto* alias : {&verdict.md5, &verdict.sha1, &verdict.sha256}) {
      if (!alias->empty()) keys.insert(*alias);
    }
    for (const auto& key : keys) {
      remember_.bind_text(1, key)
          .bind_text(2, intel::classification_name(verdict.classification))
          .bind_text(3, verdict.provider)
          .bind_text(4, json)
          .bind_text(5, verdict.looked_up_at.empty() ? looked_up_at : verdict.looked_up_at)
          .bind_int(6, expires);
      if (auto status = remember_.run(); !status) return status;
    }
  }
  return transaction->commit();
}

}  // namespace sb::store
