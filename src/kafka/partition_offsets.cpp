// The per-partition commit frontier of the Event Hubs source.
#include "kafka/partition_offsets.hpp"

namespace sb::kafka {

void PartitionOffsets::begin(int32_t partition, int64_t offset) {
  partitions_[partition].emplace(offset, false);
}

std::optional<int64_t> PartitionOffsets::done(int32_t partition, int64_t offset) {
  const auto found = partitions_.find(partition);
  if (found == partitions_.end()) return std::nullopt;
  auto& offsets = found->second;
  const auto message = offsets.find(offset);
  if (message == offsets.end()) return std::nullopt;
  message->second = true;
  std::optional<int64_t> position;
  while (!offsets.empty() && offsets.begin()->second) {
    position = offsets.begin()->first + 1;
    offsets.erase(offsets.begin());
  }
  return position;
}

void PartitionOffsets::drop(int32_t partition) {
  partitions_.erase(partition);
}

size_t PartitionOffsets::in_flight(int32_t partition) const {
  const auto found = partitions_.find(partition);
  return found == partitions_.end() ? 0 : found->second.size();
}

size_t PartitionOffsets::in_flight() const {
  size_t total = 0;
  for (const auto& [partition, offsets] : partitions_) total += offsets.size();
  return total;
}

}  // namespace sb::kafka
