// Which offset of each partition may be committed: a message counts only once every effect of it is done, and a
// partition's committed position advances only over messages that are all done (the first gap stops it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace sb::kafka {

class PartitionOffsets {
 public:
  //! `offset` of `partition` was handed out; offsets of one partition are handed out in increasing order.
  void begin(int32_t partition, int64_t offset);

  //! `offset` of `partition` is done. Returns the position to store (the offset after the last message of an
  //! unbroken run of done messages from the oldest in flight) when it advanced; nullopt when an earlier message is
  //! still in flight, or when the partition or offset is not tracked (a revoked partition's late answer).
  std::optional<int64_t> done(int32_t partition, int64_t offset);

  //! Forgets `partition` (revoked): what is still in flight there will not be stored.
  void drop(int32_t partition);

  //! Messages of `partition` handed out and not yet done.
  size_t in_flight(int32_t partition) const;
  size_t in_flight() const;

 private:
  // Per partition: offset → done, in order. The front is the oldest message not yet stored.
  std::map<int32_t, std::map<int64_t, bool>> partitions_;
};

}  // namespace sb::kafka
