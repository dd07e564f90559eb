// Which table of the store holds each item type: the store output is written once, for any item with a table.
#pragma once

#include "defender/enrichment.hpp"
#include "detect/row.hpp"
#include "store/detect_logs_table.hpp"
#include "store/enrichments_table.hpp"

namespace sb::store {

template <typename Item>
struct StoreTableOf;

template <>
struct StoreTableOf<detect::Row> {
  using type = DetectLogsTable;  // NOLINT(readability-identifier-naming): the standard trait's name
};

template <>
struct StoreTableOf<defender::Enrichment> {
  using type = EnrichmentsTable;  // NOLINT(readability-identifier-naming): the standard trait's name
};

}  // namespace sb::store
