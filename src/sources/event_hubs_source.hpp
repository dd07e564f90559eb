// The Event Hubs source: Defender Streaming API messages from an event hub, read as a Kafka topic by a consumer
// group. A message's offset is stored only when it and every earlier message of its partition are done (written by
// every writer, or dead-lettered); stored offsets are committed periodically, on revocation and at the end of a run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "engine/source.hpp"
#include "kafka/consumer.hpp"
#include "kafka/partition_offsets.hpp"

namespace sb::sources {

struct EventHubsSourceOptions {
  kafka::ConsumerOptions consumer;
  size_t max_bytes = 0;  // larger messages are dead-lettered unparsed
  bool once = false;     // read up to the end offsets the partitions had when they were assigned, then end
  //! On revocation, in-flight messages of the revoked partitions get this long to finish; what is still in flight
  //! then is abandoned uncommitted (the partition's new owner reads it again).
  std::chrono::milliseconds revocation_deadline{10'000};
  //! A --once run that has no assignment after this long ends with an error.
  std::chrono::milliseconds assignment_timeout{60'000};
};

class EventHubsSource final : public engine::Source, private kafka::RebalanceListener {
 public:
  static core::Result<std::unique_ptr<EventHubsSource>> create(EventHubsSourceOptions options);
  ~EventHubsSource() override;
  EventHubsSource(const EventHubsSource&) = delete;
  EventHubsSource& operator=(const EventHubsSource&) = delete;

  engine::SourceTraits traits() const override {
    return {.kind = "event_hubs", .keeps_inputs = false, .can_defer = false, .lease = std::nullopt};
  }
  std::string describe() const override;
  std::optional<engine::Input> next(const std::stop_token& stop) override;
  core::Result<engine::Acknowledgement> acknowledge(const engine::Input& input, engine::Outcome outcome,
                                                    const core::Error* reason) override;
  core::Status close() override;
  std::string position() const override;

  //! Messages handed out so far.
  uint64_t messages() const;

 private:
  explicit EventHubsSource(EventHubsSourceOptions options);
  void assigned(const std::vector<int32_t>& partitions) override;
  void revoked(const std::vector<int32_t>& partitions, bool lost) override;
  //! Reader thread: a --once run stops reading `partition` (it reached the end offset it had at assignment).
  void finish_partition(int32_t partition);
  bool all_finished() const;

  struct InFlight {
    int32_t partition;
    int64_t offset;
    uint64_t generation;  // of the partition's assignment it was read under
  };

  EventHubsSourceOptions options_;
  std::unique_ptr<kafka::Consumer> consumer_;

  // Reader thread only (next() and the rebalance callbacks it runs).
  bool ever_assigned_ = false;
  bool assigned_now_ = false;  // holds an assignment (possibly empty); false from a full revocation to the next one
  std::chrono::steady_clock::time_point unassigned_since_;
  std::set<int32_t> assignment_;     // the partitions assigned now
  std::map<int32_t, int64_t> ends_;  // --once: the end offset of each assigned partition
  std::set<int32_t> finished_;       // --once: partitions read to their end
  std::set<int32_t> unread_;         // --once: partitions whose end offset could not be read
  uint64_t next_token_ = 0;

  mutable std::mutex mutex_;  // guards everything below: acknowledge() runs on the writer thread
  std::condition_variable settled_;
  kafka::PartitionOffsets offsets_;
  std::map<uint64_t, InFlight> in_flight_;
  std::map<int32_t, uint64_t> generations_;  // bumped when a partition is assigned or revoked
  std::map<int32_t, int64_t> read_to_;       // assigned partitions: the offset after the last message handed out
  uint64_t messages_ = 0;
  bool closed_ = false;
  bool closing_ = false;        // the run is over: a revocation does not wait for acknowledgements
  std::string final_position_;  // position() at close()
};

}  // namespace sb::sources
