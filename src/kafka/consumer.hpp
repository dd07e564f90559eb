// A Kafka high-level consumer (librdkafka) for one topic, with offsets stored by hand: the caller stores a position
// only once every effect of the messages before it is done, and librdkafka commits what was stored periodically, on
// revocation (after the listener returned) and on close. Reads happen on one thread; store() may come from any.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/result.hpp"

namespace sb::kafka {

enum class Security { kSaslSsl, kPlaintext };
enum class Sasl { kPlain, kOAuthBearer };

struct OAuthToken {
  std::string value;  // never logged
  std::chrono::system_clock::time_point expires_on;
  std::string principal;  // who it is, for librdkafka's logs
};

struct ConsumerOptions {
  std::string bootstrap_servers;  // host:port[,host:port…]
  std::string topic;
  std::string group_id;
  std::string start_from = "earliest";  // auto.offset.reset for a group with no committed offset
  Security security = Security::kSaslSsl;
  Sasl sasl = Sasl::kPlain;                               // with kSaslSsl
  std::string sasl_username;                              // kPlain
  std::string sasl_password;                              // kPlain; never logged
  std::function<core::Result<OAuthToken>()> oauth_token;  // kOAuthBearer: asked on a librdkafka thread
  core::StringTable extra;                                // checked by check_extra_options()
  std::string client_id = "spectra-bridge";
};

//! The librdkafka properties the consumer sets by default (Microsoft's recommendations for Event Hubs), in order.
const std::vector<std::pair<std::string, std::string>>& recommended_properties();

//! Refuses extra properties that would carry a secret (passwords, keys, SASL settings), weaken TLS, or take over
//! what the consumer owns (servers, group, offset storage); names the property and the reason.
core::Status check_extra_options(const core::StringTable& extra);

//! True when every host of a host:port list is a loopback address.
bool all_loopback(std::string_view bootstrap_servers);

//! Told of partition changes, on the thread that calls poll().
class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;
  virtual void assigned(const std::vector<int32_t>& partitions) = 0;
  //! Before the partitions go: finish or drop their in-flight work, store what is done. `lost`: the group already
  //! gave them to another member (a session timeout), so nothing may be stored.
  virtual void revoked(const std::vector<int32_t>& partitions, bool lost) = 0;
};

struct Polled {
  enum class Kind { kNothing, kMessage, kEndOfPartition, kError };
  Kind kind = Kind::kNothing;
  int32_t partition = -1;
  int64_t offset = -1;
  bool has_value = false;  // false: a tombstone (null value)
  std::string value;       // with spare capacity for a JSON parser's padding
  std::string error;
};

class Consumer {
 public:
  static core::Result<std::unique_ptr<Consumer>> create(ConsumerOptions options, RebalanceListener* listener);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  //! Waits up to `timeout` for a message or an event; rebalances are handled (and the listener told) inside.
  Polled poll(std::chrono::milliseconds timeout);

  //! Marks `position` (the next offset to read) of `partition` for the next commit. Thread-safe.
  core::Status store(int32_t partition, int64_t position);
  //! Commits what was stored, now (synchronously).
  core::Status commit();
  //! Stops fetching `partition` (a --once run reached its end offset)…
  void pause(int32_t partition);
  //! …and starts again (a pause outlives a revocation and the partition's next assignment).
  void resume(int32_t partition);
  //! The partition's high watermark, asked of the broker (blocks up to `timeout`).
  core::Result<int64_t> query_end(int32_t partition, std::chrono::milliseconds timeout);
  //! The partition's high watermark as last seen in a fetch (no network), or nullopt.
  std::optional<int64_t> cached_end(int32_t partition) const;
  //! The number of partitions the topic has, from the broker's metadata (doctor).
  core::Result<int> partition_count(std::chrono::milliseconds timeout);
  //! Leaves the group, committing what was stored first.
  core::Status close();

  const std::string& topic() const { return options_.topic; }
  //! The last error librdkafka reported (a refused login, brokers down); empty when the last attempt worked.
  std::string last_error() const;

 private:
  struct Handles;
  explicit Consumer(ConsumerOptions options, RebalanceListener* listener);

  ConsumerOptions options_;
  RebalanceListener* listener_;
  std::unique_ptr<Handles> handles_;
  bool closed_ = false;
};

}  // namespace sb::kafka
