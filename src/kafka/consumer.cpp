// The librdkafka consumer behind the Event Hubs source: its configuration, callbacks and offset calls.
#include "kafka/consumer.hpp"

#include <librdkafka/rdkafka.h>

#include <array>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/service_url.hpp"
#include "core/text.hpp"

namespace sb::kafka {
namespace {

constexpr size_t kErrorTextSize = 512;
constexpr size_t kParserPadding = 64;  // spare capacity after a value, for simdjson

// librdkafka's log levels are syslog's.
constexpr int kLogError = 3;
constexpr int kLogWarning = 4;
constexpr int kLogInfo = 6;

//! Properties the consumer sets itself: an extra option may not change them.
constexpr std::array kOwned = {
    "bootstrap.servers", "metadata.broker.list",     "group.id",           "security.protocol",    "sasl.mechanism",
    "sasl.mechanisms",   "enable.auto.offset.store", "enable.auto.commit", "enable.partition.eof", "auto.offset.reset",
};

//! Parts of property names that carry secrets (passwords, private keys, SASL credentials).
constexpr std::array kSecretParts = {"password", "secret", "sasl.", "jaas", "ssl.key", "ssl_key", "keystore", "token"};

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const { rd_kafka_topic_partition_list_destroy(list); }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

PartitionList one_partition(const std::string& topic, int32_t partition, int64_t offset = RD_KAFKA_OFFSET_INVALID) {
  PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = offset;
  return list;
}

std::vector<int32_t> partitions_of(const rd_kafka_topic_partition_list_t* list) {
  std::vector<int32_t> out;
  out.reserve(static_cast<size_t>(list->cnt));
  for (int k = 0; k < list->cnt; ++k) out.push_back(list->elems[k].partition);
  return out;
}

bool is_true(std::string_view value) {
  return value == "true" || value == "1";
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& recommended_properties() {
  // Microsoft, "Recommended configurations for Apache Kafka clients" (librdkafka): idle connections are closed by
  // Azure after 240 s, so metadata and idle connections are refreshed before that.
  static const std::vector<std::pair<std::string, std::string>> properties = {
      {"socket.keepalive.enable", "true"}, {"metadata.max.age.ms", "180000"}, {"connections.max.idle.ms", "180000"},
      {"session.timeout.ms", "30000"},     {"heartbeat.interval.ms", "3000"}, {"max.poll.interval.ms", "300000"},
  };
  return properties;
}

core::Status check_extra_options(const core::StringTable& extra) {
  for (const auto& [name, value] : extra) {
    const std::string lower = core::ascii_lower(name);
    for (const char* owned : kOwned) {
      if (lower == owned) {
        return core::make_error(fmt::format(
            "librdkafka_options: \"{}\" is set by spectra-bridge (from the [scan.event_hubs] keys) and cannot be "
            "overridden",
            name));
      }
    }
    for (const char* part : kSecretParts) {
      if (lower.find(part) != std::string::npos) {
        return core::make_error(fmt::format(
            "librdkafka_options: \"{}\" would hold a credential in plain configuration; use connection_string (a "
            "secret reference) or the [azure] identity",
            name));
      }
    }
    if ((lower == "enable.ssl.certificate.verification" && !is_true(core::ascii_lower(value))) ||
        (lower == "ssl.endpoint.identification.algorithm" && core::ascii_lower(value) == "none")) {
      return core::make_error(
          fmt::format("librdkafka_options: \"{}\" would turn off TLS verification, which is never done", name));
    }
  }
  return {};
}

bool all_loopback(std::string_view bootstrap_servers) {
  bool any = false;
  for (auto server : core::split(bootstrap_servers, ',')) {
    server = core::trim(server);
    if (server.empty()) continue;
    std::string host;
    if (server.starts_with('[')) {  // [::1]:9092
      const auto close = server.find(']');
      if (close == std::string_view::npos) return false;
      host = std::string(server.substr(1, close - 1));
    } else {
      const auto colon = server.rfind(':');
      host = std::string(colon == std::string_view::npos ? server : server.substr(0, colon));
    }
    if (!core::is_loopback_host(host)) return false;
    any = true;
  }
  return any;
}

struct Consumer::Handles {
  rd_kafka_t* kafka = nullptr;
  mutable std::mutex mutex;  // guards last_error
  std::string last_error;

  void set_error(std::string text) {
    const std::lock_guard lock(mutex);
    last_error = std::move(text);
  }
};

namespace {

void on_log(const rd_kafka_t* /*kafka*/, int level, const char* facility, const char* text) {
  if (level <= kLogError) {
    core::log_error("kafka", {{"facility", facility}, {"detail", text}});
  } else if (level <= kLogWarning) {
    core::log_warn("kafka", {{"facility", facility}, {"detail", text}});
  } else if (level <= kLogInfo) {
    core::log_info("kafka", {{"facility", facility}, {"detail", text}});
  } else {
    core::log_debug("kafka", {{"facility", facility}, {"detail", text}});
  }
}

}  // namespace

Consumer::Consumer(ConsumerOptions options, RebalanceListener* listener)
    : options_(std::move(options)), listener_(listener), handles_(std::make_unique<Handles>()) {}

core::Result<std::unique_ptr<Consumer>> Consumer::create(ConsumerOptions options, RebalanceListener* listener) {
  if (auto status = check_extra_options(options.extra); !status) return status.error();
  if (options.security == Security::kPlaintext && !all_loopback(options.bootstrap_servers)) {
    return core::make_error(
        fmt::format("security_protocol plaintext is allowed only for loopback servers (tests, a local broker), not {}",
                    options.bootstrap_servers));
  }
  std::unique_ptr<Consumer> consumer(new Consumer(std::move(options), listener));
  const ConsumerOptions& o = consumer->options_;

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::array<char, kErrorTextSize> error{};
  // `secret` values are left out of the error text.
  auto set = [&](const std::string& name, const std::string& value, bool secret = false) -> core::Status {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error.data(), error.size()) != RD_KAFKA_CONF_OK) {
      return core::make_error(secret ? fmt::format("librdkafka refused property {}", name)
                                     : fmt::format("librdkafka refused {}={}: {}", name, value, error.data()));
    }
    return {};
  };
  std::vector<std::pair<std::string, std::string>> properties = recommended_properties();
  properties.insert(properties.end(), {{"bootstrap.servers", o.bootstrap_servers},
                                       {"group.id", o.group_id},
                                       {"client.id", o.client_id},
                                       {"auto.offset.reset", o.start_from == "latest" ? "latest" : "earliest"},
                                       {"enable.auto.offset.store", "false"},
                                       {"enable.auto.commit", "true"},
                                       {"enable.partition.eof", "true"}});
  if (o.security == Security::kPlaintext) {
    properties.emplace_back("security.protocol", "plaintext");
  } else {
    properties.emplace_back("security.protocol", "sasl_ssl");
    properties.emplace_back("sasl.mechanisms", o.sasl == Sasl::kPlain ? "PLAIN" : "OAUTHBEARER");
    if (o.sasl == Sasl::kPlain) properties.emplace_back("sasl.username", o.sasl_username);
  }
  for (const auto& [name, value] : o.extra) properties.emplace_back(name, value);
  core::Status status;
  for (const auto& [name, value] : properties) {
    if (status = set(name, value); !status) break;
  }
  if (status && o.security == Security::kSaslSsl && o.sasl == Sasl::kPlain) {
    status = set("sasl.password", o.sasl_password, true);
  }
  if (!status) {
    rd_kafka_conf_destroy(conf);
    return status.error();
  }
  rd_kafka_conf_set_opaque(conf, consumer.get());
  rd_kafka_conf_set_log_cb(conf, on_log);
  rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t*, int code, const char* reason, void* opaque) {
    auto* self = static_cast<Consumer*>(opaque);
    const auto err = static_cast<rd_kafka_resp_err_t>(code);
    std::string text = fmt::format("{}: {}", rd_kafka_err2name(err), reason);
    if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION || err == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED) {
      text +=
          " (check the connection string, or that the identity holds the role \"Azure Event Hubs Data "
          "Receiver\" on the event hub)";
    }
    // A dropped connection is already in librdkafka's own log line; the rest (all brokers down, a refused login)
    // is said here.
    if (err != RD_KAFKA_RESP_ERR__TRANSPORT) core::log_warn("kafka error", {{"reason", text}});
    self->handles_->set_error(std::move(text));
  });
  rd_kafka_conf_set_rebalance_cb(
      conf, [](rd_kafka_t* kafka, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* list, void* opaque) {
        auto* self = static_cast<Consumer*>(opaque);
        const bool cooperative = std::string_view(rd_kafka_rebalance_protocol(kafka)) == "COOPERATIVE";
        const auto partitions = partitions_of(list);
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
          if (cooperative) {
            if (auto* failed = rd_kafka_incremental_assign(kafka, list)) rd_kafka_error_destroy(failed);
          } else {
            rd_kafka_assign(kafka, list);
          }
          self->handles_->set_error({});
          if (self->listener_ != nullptr) self->listener_->assigned(partitions);
          return;
        }
        const bool lost = rd_kafka_assignment_lost(kafka) != 0;
        if (self->listener_ != nullptr) self->listener_->revoked(partitions, lost);
        // The offsets the listener stored are committed by librdkafka itself as the partitions are unassigned
        // (enable.auto.commit; a failure is in its COMMITFAIL log line). A second, synchronous commit from here ran
        // beside that one; once, with a member closing while the group rebalanced, librdkafka 2.0.2 aborted the
        // process (rd_kafka_cgrp_terminated: assignment in progress), and this commit is the one thing of ours in
        // flight there. Regression test: EventHubsSource.RegressionTwoMembersClosingDuringARebalanceDoNotAbort.
        if (cooperative) {
          if (auto* failed = rd_kafka_incremental_unassign(kafka, list)) rd_kafka_error_destroy(failed);
        } else {
          rd_kafka_assign(kafka, nullptr);
        }
      });
  if (o.security == Security::kSaslSsl && o.sasl == Sasl::kOAuthBearer) {
    rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, [](rd_kafka_t* kafka, const char*, void* opaque) {
      auto* self = static_cast<Consumer*>(opaque);
      auto token = self->options_.oauth_token ? self->options_.oauth_token()
                                              : core::Result<OAuthToken>(core::make_error("no token source"));
      if (!token) {
        const std::string text = "cannot get a token for Event Hubs: " + token.error().message;
        core::log_error("kafka login", {{"reason", text}});
        self->handles_->set_error(text);
        rd_kafka_oauthbearer_set_token_failure(kafka, text.c_str());
        return;
      }
      const auto expires_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(token->expires_on.time_since_epoch()).count();
      std::array<char, kErrorTextSize> text{};
      if (rd_kafka_oauthbearer_set_token(kafka, token->value.c_str(), expires_ms, token->principal.c_str(), nullptr, 0,
                                         text.data(), text.size()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        core::log_error("kafka login", {{"reason", std::string("token refused by librdkafka: ") + text.data()}});
        rd_kafka_oauthbearer_set_token_failure(kafka, text.data());
      }
    });
  }

  const bool oauth = o.security == Security::kSaslSsl && o.sasl == Sasl::kOAuthBearer;
  // Token refreshes get a queue of their own, served on librdkafka's background thread (enabled below).
  if (oauth) rd_kafka_conf_enable_sasl_queue(conf, 1);
  rd_kafka_t* kafka = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error.data(), error.size());
  if (kafka == nullptr) {
    rd_kafka_conf_destroy(conf);
    return core::make_error(fmt::format("cannot create the Kafka consumer: {}", error.data()));
  }
  consumer->handles_->kafka = kafka;
  if (oauth) {
    // Tokens are refreshed on librdkafka's own thread, even while the reader waits on a full queue (and before
    // doctor's first metadata request).
    if (auto* failed = rd_kafka_sasl_background_callbacks_enable(kafka)) {
      const std::string text = rd_kafka_error_string(failed);
      rd_kafka_error_destroy(failed);
      return core::make_error("cannot refresh Event Hubs tokens in the background: " + text);
    }
  }
  rd_kafka_poll_set_consumer(kafka);
  PartitionList topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), o.topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (const auto err = rd_kafka_subscribe(kafka, topics.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return core::make_error(fmt::format("cannot subscribe to {}: {}", o.topic, rd_kafka_err2str(err)));
  }
  return consumer;
}

Consumer::~Consumer() {
  if (handles_->kafka == nullptr) return;
  (void)close();
  rd_kafka_destroy(handles_->kafka);
}

Polled Consumer::poll(std::chrono::milliseconds timeout) {
  Polled polled;
  rd_kafka_message_t* message = rd_kafka_consumer_poll(handles_->kafka, static_cast<int>(timeout.count()));
  if (message == nullptr) return polled;
  polled.partition = message->partition;
  polled.offset = message->offset;
  if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    polled.kind = Polled::Kind::kEndOfPartition;
  } else if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    polled.kind = Polled::Kind::kError;
    polled.error = fmt::format("{}: {}", rd_kafka_err2name(message->err), rd_kafka_message_errstr(message));
    handles_->set_error(polled.error);
  } else {
    polled.kind = Polled::Kind::kMessage;
    polled.has_value = message->payload != nullptr;
    if (polled.has_value) {
      polled.value.reserve(message->len + kParserPadding);
      polled.value.assign(static_cast<const char*>(message->payload), message->len);
    }
  }
  rd_kafka_message_destroy(message);
  return polled;
}

core::Status Consumer::store(int32_t partition, int64_t position) {
  auto list = one_partition(options_.topic, partition, position);
  if (const auto err = rd_kafka_offsets_store(handles_->kafka, list.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return core::make_error(fmt::format("cannot store offset {} of {}/{}: {}", position, options_.topic, partition,
                                        rd_kafka_err2str(list->elems[0].err ? list->elems[0].err : err)));
  }
  return {};
}

core::Status Consumer::commit() {
  const auto err = rd_kafka_commit(handles_->kafka, nullptr, 0);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return {};
  return core::make_error(fmt::format("cannot commit offsets of {}: {}", options_.topic, rd_kafka_err2str(err)));
}

void Consumer::pause(int32_t partition) {
  auto list = one_partition(options_.topic, partition);
  rd_kafka_pause_partitions(handles_->kafka, list.get());
}

void Consumer::resume(int32_t partition) {
  auto list = one_partition(options_.topic, partition);
  rd_kafka_resume_partitions(handles_->kafka, list.get());
}

core::Result<int64_t> Consumer::query_end(int32_t partition, std::chrono::milliseconds timeout) {
  int64_t low = 0;
  int64_t high = 0;
  const auto err = rd_kafka_query_watermark_offsets(handles_->kafka, options_.topic.c_str(), partition, &low, &high,
                                                    static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return core::make_error(
        fmt::format("cannot read the end offset of {}/{}: {}", options_.topic, partition, rd_kafka_err2str(err)));
  }
  return high;
}

std::optional<int64_t> Consumer::cached_end(int32_t partition) const {
  int64_t low = 0;
  int64_t high = 0;
  if (rd_kafka_get_watermark_offsets(handles_->kafka, options_.topic.c_str(), partition, &low, &high) !=
          RD_KAFKA_RESP_ERR_NO_ERROR ||
      high < 0) {
    return std::nullopt;
  }
  return high;
}

core::Result<int> Consumer::partition_count(std::chrono::milliseconds timeout) {
  rd_kafka_topic_t* topic = rd_kafka_topic_new(handles_->kafka, options_.topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const auto err = rd_kafka_metadata(handles_->kafka, 0, topic, &metadata, static_cast<int>(timeout.count()));
  rd_kafka_topic_destroy(topic);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return core::make_error(fmt::format("cannot read the metadata of {}: {}", options_.topic, rd_kafka_err2str(err)));
  }
  core::Result<int> result = core::make_error(fmt::format("{} is not in the broker's metadata", options_.topic));
  if (metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    result = metadata->topics[0].partition_cnt;
  } else if (metadata->topic_cnt == 1) {
    result = core::make_error(fmt::format("{}: {}", options_.topic, rd_kafka_err2str(metadata->topics[0].err)));
  }
  rd_kafka_metadata_destroy(metadata);
  return result;
}

core::Status Consumer::close() {
  if (closed_) return {};
  closed_ = true;
  auto committed = commit();
  rd_kafka_consumer_close(handles_->kafka);
  return committed;
}

std::string Consumer::last_error() const {
  const std::lock_guard lock(handles_->mutex);
  return handles_->last_error;
}

}  // namespace sb::kafka
