// The store output, written once for every item type with a store table (store/store_table.hpp), and its entry.
#include "outputs/store_output.hpp"

#include <concepts>
#include <set>
#include <span>
#include <vector>

#include "core/clock.hpp"
#include "outputs/output_entry.hpp"
#include "store/dead_letters.hpp"
#include "store/store.hpp"
#include "store/store_table.hpp"
#include "store/transaction.hpp"

namespace sb::outputs {
namespace {

template <typename Table>
concept LedgerTable = requires(Table& table, const std::vector<std::string>& keys) {
  { table.existing_keys(keys) } -> std::same_as<core::Result<std::set<std::string>>>;
};

template <typename Item>
class StoreOutput final : public engine::Output<Item>, public engine::Ledger<Item> {
  using Table = typename store::StoreTableOf<Item>::type;

 public:
  StoreOutput(std::unique_ptr<store::Database> db, Table table, std::filesystem::path path)
      : db_(std::move(db)), table_(std::move(table)), path_(std::move(path)) {}

  std::string_view name() const override { return "store"; }
  engine::CommitOrder commit_order() const override { return engine::CommitOrder::kTransactional; }

  core::Status write(std::span<const Item> items) override {
    pending_.push_back(items);
    return {};
  }

  core::Status flush() override {
    if (pending_.empty()) return {};
    const auto parts = std::move(pending_);
    pending_.clear();
    auto transaction = store::Transaction::begin(*db_);
    if (!transaction) return transaction.error();
    const std::string now = core::now_iso8601_utc();
    size_t inserted = 0;
    size_t items = 0;
    for (const auto& part : parts) {
      auto added = table_.insert(part, now);
      if (!added) return added.error();  // the transaction rolls back as it goes
      inserted += *added;
      items += part.size();
    }
    if (auto status = transaction->commit(); !status) return status;
    // Committed last, so nothing is discarded after this: the batch is final here.
    written_ += inserted;
    duplicates_ += items - inserted;
    return {};
  }

  void discard() override { pending_.clear(); }

  engine::OutputCounters counters() const override { return {written_, duplicates_}; }
  std::string summary() const override { return Table::summary(path_); }

  engine::Ledger<Item>* ledger() override {
    if constexpr (LedgerTable<Table>) {
      return this;
    } else {
      return nullptr;
    }
  }

  std::string_view key(const Item& item) const override {
    if constexpr (LedgerTable<Table>) {
      return Table::key(item);
    } else {
      return {};
    }
  }

  core::Result<std::set<std::string>> delivered(const std::vector<std::string>& keys) override {
    if constexpr (LedgerTable<Table>) {
      return table_.existing_keys(keys);
    } else {
      return std::set<std::string>{};
    }
  }

 private:
  std::unique_ptr<store::Database> db_;
  Table table_;
  std::filesystem::path path_;
  std::vector<std::span<const Item>> pending_;  // valid until flush() or discard() returns (see Output::write)
  uint64_t written_ = 0;
  uint64_t duplicates_ = 0;
};

class StoreDeadLetters final : public engine::DeadLetterRecorder {
 public:
  StoreDeadLetters(std::unique_ptr<store::Database> db, std::string pipeline)
      : db_(std::move(db)), pipeline_(std::move(pipeline)) {}

  core::Status record(std::string_view source, std::string_view name, const core::Error& reason,
                      std::string_view location, std::string_view payload) override {
    const store::DeadLetter letter{pipeline_, source, name, reason.message, reason.offset, location, payload};
    return store::insert_dead_letter(*db_, letter);
  }

 private:
  std::unique_ptr<store::Database> db_;
  std::string pipeline_;
};

void check_store(const OutputContext& context, core::DoctorReport& report) {
  if (!report.first_time("store")) return;
  if (auto db = store::open_store(context.store_path); db) {
    report.ok("store", context.store_path.string());
  } else {
    report.fail("store", db.error().message + " (fix: make the folder writable, or set store.path)");
  }
}

}  // namespace

template <typename Item>
core::Result<std::unique_ptr<engine::Output<Item>>> make_store_output(const std::filesystem::path& path) {
  auto db = store::open_store(path);
  if (!db) return db.error();
  auto table = store::StoreTableOf<Item>::type::create(**db);
  if (!table) return table.error();
  return std::unique_ptr<engine::Output<Item>>(
      std::make_unique<StoreOutput<Item>>(std::move(db).value(), std::move(table).value(), path));
}

template core::Result<std::unique_ptr<engine::Output<detect::Row>>> make_store_output<detect::Row>(
    const std::filesystem::path& path);
template core::Result<std::unique_ptr<engine::Output<defender::Enrichment>>> make_store_output<defender::Enrichment>(
    const std::filesystem::path& path);

core::Result<std::unique_ptr<engine::DeadLetterRecorder>> make_store_dead_letters(const std::filesystem::path& path,
                                                                                  std::string pipeline) {
  auto db = store::open_store(path);
  if (!db) return db.error();
  return std::unique_ptr<engine::DeadLetterRecorder>(
      std::make_unique<StoreDeadLetters>(std::move(db).value(), std::move(pipeline)));
}

const OutputEntry& store_output_entry() {
  static const OutputEntry entry{
      .name = "store",
      .summary = "The local SQLite store (store.path): rows, enrichments and dead letters; committed last.",
      .keys = [](const engine::PipelineTraits&, std::string_view) { return std::vector<core::KeySpec>{}; },
      .rows = [](const OutputContext& context) { return make_store_output<detect::Row>(context.store_path); },
      .enrichments =
          [](const OutputContext& context) { return make_store_output<defender::Enrichment>(context.store_path); },
      .dead_letters =
          [](const OutputContext& context) {
            return make_store_dead_letters(context.store_path, std::string(context.pipeline.name));
          },
      .doctor = check_store,
  };
  return entry;
}

}  // namespace sb::outputs
