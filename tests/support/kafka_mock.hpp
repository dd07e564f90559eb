// librdkafka's mock cluster (a real Kafka-protocol broker) in a helper process on loopback, and a producer and an
// offset reader for it: what the Event Hubs tests stand in for Azure Event Hubs' Kafka endpoint with.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::test {

class KafkaMock {
 public:
  struct Topic {
    std::string name;
    int partitions = 1;
  };
  explicit KafkaMock(std::vector<Topic> topics, int brokers = 1);
  ~KafkaMock();
  KafkaMock(const KafkaMock&) = delete;
  KafkaMock& operator=(const KafkaMock&) = delete;

  //! "127.0.0.1:PORT": empty when the helper did not start.
  const std::string& bootstrap() const { return bootstrap_; }

  //! Produces `values` to `partition` of `topic` and waits until the broker has them; nullopt is a tombstone.
  //! Returns false when a delivery failed.
  bool produce(const std::string& topic, int partition, const std::vector<std::optional<std::string>>& values);

  //! The offset `group` committed for the partition; -1 when it committed none.
  int64_t committed(const std::string& group, const std::string& topic, int partition) const;
  //! The partition's end offset (its high watermark).
  int64_t end_offset(const std::string& topic, int partition) const;

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;  // closing it ends the helper
  std::string bootstrap_;
  void* producer_ = nullptr;  // rd_kafka_t*
};

//! The [scan] lines of a spectra-bridge.toml that reads `topic` of `mock` as group `group`, with quick group
//! timings (a killed instance's partitions move after about six seconds); `scan_keys` are more [scan] lines.
std::string event_hubs_config(const KafkaMock& mock, const std::string& topic, const std::string& group,
                              const std::string& scan_keys = {});

}  // namespace sb::test
