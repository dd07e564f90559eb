// Local verdicts: the newest classified spectra_detect_logs row for a hash (indexed sha1/sha256/md5 columns).
#include "store/local_verdicts.hpp"

#include <fmt/format.h>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace sb::store {
namespace {

// Spectra Detect's classification.classification codes (0 unknown … 3 malicious) are the rl order.
intel::Classification from_detect_code(int64_t code) {
  switch (code) {
    case 1: return intel::Classification::kGoodware;
    case 2: return intel::Classification::kSuspicious;
    case 3: return intel::Classification::kMalicious;
    default: return intel::Classification::kUnknown;
  }
}

}  // namespace

core::Result<std::unique_ptr<LocalVerdictProvider>> LocalVerdictProvider::open(const std::filesystem::path& path) {
  auto db = open_store(path);
  if (!db) return db.error();
  std::unique_ptr<LocalVerdictProvider> provider(new LocalVerdictProvider(path));
  auto first = std::make_unique<Connection>();
  first->db = std::move(db).value();
  ++provider->connections_;
  provider->give_back(std::move(first));
  return provider;
}

core::Result<std::unique_ptr<LocalVerdictProvider::Connection>> LocalVerdictProvider::take() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  // Every connection is busy: a lookup on another thread gets one of its own (the pool grows to the concurrency).
  auto db = Database::open(path_);
  if (!db) return db.error();
  auto connection = std::make_unique<Connection>();
  connection->db = std::move(db).value();
  ++connections_;
  return connection;
}

void LocalVerdictProvider::give_back(std::unique_ptr<Connection> connection) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

intel::LookupResult LocalVerdictProvider::lookup(core::HashType type, const std::vector<std::string>& hashes) {
  intel::LookupResult result;
  ++requests_;
  hashes_ += hashes.size();
  auto fail = [&](const std::string& why) {
    ++failures_;
    result.failure = core::make_error("local: cannot read the store: " + why);
    return result;
  };
  auto connection = take();
  if (!connection) return fail(connection.error().message);
  auto& statement = (*connection)->by_type[static_cast<size_t>(type)];
  if (!statement) {
    // The column name comes from the enum, never from input. A row without a verdict (no classification object)
    // says nothing; the newest classified row wins because a reclassification is newer.
    auto prepared =
        (*connection)
            ->db->prepare(fmt::format(
                "SELECT verdict, threat_name, sha1, sha256, md5, TimeGenerated, "
                "json_extract(classification, '$.factor'), json_extract(classification, '$.scan_results[0].name') "
                "FROM spectra_detect_logs WHERE {} = ? AND verdict IS NOT NULL "
                "ORDER BY submitted DESC, row_id DESC LIMIT 1",
                core::hash_type_name(type)));
    if (!prepared) return fail(prepared.error().message);
    statement = std::move(prepared).value();
    ++statements_;
  }
  auto& stmt = *statement;
  const std::string now = core::now_iso8601_utc();
  for (const auto& hash : hashes) {
    stmt.bind_text(1, hash);
    auto row = stmt.step();
    if (!row) {
      stmt.reset();
      give_back(std::move(connection).value());
      return fail(row.error().message);
    }
    if (*row) {
      intel::Verdict verdict;
      verdict.hash = hash;
      verdict.classification = from_detect_code(stmt.column_int(0));
      verdict.threat_name = stmt.column_text(1);
      verdict.sha1 = stmt.column_text(2);
      verdict.sha256 = stmt.column_text(3);
      verdict.md5 = stmt.column_text(4);
      verdict.last_seen = stmt.column_text(5);
      if (!stmt.column_is_null(6)) {
        // Spectra Core's factor is the threat level of a bad file and the trust factor of a good one.
        const auto factor = static_cast<int>(stmt.column_int(6));
        if (verdict.classification == intel::Classification::kGoodware) {
          verdict.trust_factor = factor;
        } else if (verdict.classification != intel::Classification::kUnknown) {
          verdict.threat_level = factor;
        }
      }
      verdict.reason = stmt.column_text(7);
      verdict.provider = "local";
      verdict.looked_up_at = now;
      result.verdicts.emplace(hash, std::move(verdict));
    }
    stmt.reset();
  }
  give_back(std::move(connection).value());
  return result;
}

intel::ProviderCounters LocalVerdictProvider::counters() const {
  return {requests_.load(), hashes_.load(), 0, failures_.load()};
}

}  // namespace sb::store
