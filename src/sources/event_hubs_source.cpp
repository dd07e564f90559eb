// The Event Hubs source and its registry entry: [scan.event_hubs] keys, the Kafka endpoint of the namespace,
// SASL PLAIN with a connection string or OAUTHBEARER with the [azure] identity, and the doctor checks.
#include "sources/event_hubs_source.hpp"

#include <fmt/format.h>

#include "azure/identity.hpp"
#include "core/log.hpp"
#include "core/settings.hpp"
#include "sources/source_entry.hpp"

namespace sb::sources {
namespace {

constexpr auto kPollSlice = std::chrono::milliseconds(200);
constexpr auto kEndQueryTimeout = std::chrono::milliseconds(10'000);
constexpr auto kMetadataTimeout = std::chrono::milliseconds(10'000);
constexpr auto kDoctorTimeout = std::chrono::milliseconds(30'000);
constexpr std::string_view kKafkaPort = ":9093";
constexpr std::string_view kDefaultDomain = ".servicebus.windows.net";
//! The Event Hubs Kafka endpoint's user name for a connection string (the password).
constexpr std::string_view kConnectionStringUser = "$ConnectionString";

}  // namespace

EventHubsSource::EventHubsSource(EventHubsSourceOptions options) : options_(std::move(options)) {}

core::Result<std::unique_ptr<EventHubsSource>> EventHubsSource::create(EventHubsSourceOptions options) {
  std::unique_ptr<EventHubsSource> source(new EventHubsSource(std::move(options)));
  auto consumer = kafka::Consumer::create(source->options_.consumer, source.get());
  if (!consumer) return consumer.error();
  source->consumer_ = std::move(consumer).value();
  source->unassigned_since_ = std::chrono::steady_clock::now();
  return source;
}

EventHubsSource::~EventHubsSource() {
  (void)close();
}

std::string EventHubsSource::describe() const {
  const auto& c = options_.consumer;
  return fmt::format("event hub {} at {} (consumer group {}){}", c.topic, c.bootstrap_servers, c.group_id,
                     options_.once ? ", up to the end offsets at start" : "");
}

std::optional<engine::Input> EventHubsSource::next(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    if (options_.once && assigned_now_ && all_finished()) return std::nullopt;
    // Never assigned, or revoked and not assigned again (a rebalance that does not end): close() says why.
    if (options_.once && !assigned_now_ &&
        std::chrono::steady_clock::now() - unassigned_since_ > options_.assignment_timeout) {
      return std::nullopt;
    }
    auto polled = consumer_->poll(kPollSlice);
    switch (polled.kind) {
      case kafka::Polled::Kind::kNothing: continue;
      case kafka::Polled::Kind::kError:
        core::log_warn("event hub read failed; librdkafka retries",
                       {{"topic", consumer_->topic()}, {"reason", polled.error}});
        continue;
      case kafka::Polled::Kind::kEndOfPartition: {
        const std::lock_guard lock(mutex_);
        read_to_[polled.partition] = polled.offset;
      }
        if (options_.once) finish_partition(polled.partition);
        continue;
      case kafka::Polled::Kind::kMessage: break;
    }
    const int32_t partition = polled.partition;
    const int64_t offset = polled.offset;
    if (options_.once) {
      const auto end = ends_.find(partition);
      if (end == ends_.end() || offset >= end->second) {  // written after the run started: the next run's
        finish_partition(partition);
        continue;
      }
    }
    engine::Input input;
    input.token = ++next_token_;
    input.name = fmt::format("{}/{}@{}", consumer_->topic(), partition, offset);
    {
      const std::lock_guard lock(mutex_);
      offsets_.begin(partition, offset);
      in_flight_.emplace(input.token, InFlight{partition, offset, generations_[partition]});
      read_to_[partition] = offset + 1;
      ++messages_;
    }
    if (!polled.has_value) {
      input.read_error = core::make_error("a Kafka tombstone (a message without a value), not a Streaming API message",
                                          core::ErrorKind::kBadInput);
    } else if (polled.value.size() > options_.max_bytes) {
      input.read_error =
          core::make_error(fmt::format("message is {} bytes, over the limit of {} bytes (max_message_bytes)",
                                       polled.value.size(), options_.max_bytes),
                           core::ErrorKind::kBadInput);
      input.bytes = std::move(polled.value);  // the dead letter carries it: nothing else keeps a stream's input
    } else {
      input.bytes = std::move(polled.value);
    }
    if (options_.once) {
      const auto end = ends_.find(partition);
      if (end != ends_.end() && offset + 1 >= end->second) finish_partition(partition);
    }
    return input;
  }
  return std::nullopt;
}

core::Result<engine::Acknowledgement> EventHubsSource::acknowledge(const engine::Input& input, engine::Outcome,
                                                                   const core::Error*) {
  std::optional<int64_t> position;
  InFlight message{};
  {
    const std::lock_guard lock(mutex_);
    const auto found = in_flight_.find(input.token);
    if (found == in_flight_.end()) return core::make_error(fmt::format("{} was acknowledged twice", input.name));
    message = found->second;
    in_flight_.erase(found);
    settled_.notify_all();
    if (generations_[message.partition] != message.generation) {
      // Its partition was revoked (and maybe assigned again) meanwhile: the new owner reads it again.
      return engine::Acknowledgement{.requeued = true, .location = {}};
    }
    position = offsets_.done(message.partition, message.offset);
    // Stored under the lock: a revocation cannot slip in between the generation check and the store and commit
    // ahead of it, nor can an old position land on a later assignment (the store does not call back into us).
    if (position) {
      if (auto stored = consumer_->store(message.partition, *position); !stored) {
        core::log_warn("offset not stored; the messages after the last committed offset will be read again",
                       {{"input", input.name}, {"reason", stored.error().message}});
      }
    }
  }
  return engine::Acknowledgement{};
}

void EventHubsSource::assigned(const std::vector<int32_t>& partitions) {
  ever_assigned_ = true;
  assigned_now_ = true;
  {
    const std::lock_guard lock(mutex_);
    for (const auto partition : partitions) ++generations_[partition];
  }
  for (const auto partition : partitions) {
    assignment_.insert(partition);
    consumer_->resume(partition);  // a --once pause from an earlier assignment would otherwise stay
  }
  std::string names;
  for (const auto partition : partitions) names += fmt::format("{}{}", names.empty() ? "" : ",", partition);
  core::log_info("event hub partitions assigned", {{"topic", consumer_->topic()}, {"partitions", names}});
  if (!options_.once) return;
  for (const auto partition : partitions) {
    auto end = consumer_->query_end(partition, kEndQueryTimeout);
    if (!end) {
      // Not knowing where it ends, a backfill cannot tell when it is done with this partition: leave it.
      core::log_error("cannot read a partition's end offset; it is left for the next run",
                      {{"partition", partition}, {"reason", end.error().message}});
      unread_.insert(partition);
      finish_partition(partition);
      continue;
    }
    ends_[partition] = *end;
    finished_.erase(partition);
  }
}

void EventHubsSource::revoked(const std::vector<int32_t>& partitions, bool lost) {
  std::unique_lock lock(mutex_);
  auto busy = [&] {
    for (const auto partition : partitions) {
      if (offsets_.in_flight(partition) > 0) return true;
    }
    return false;
  };
  // The writer finishes what was read (the reader is here, so nothing new comes), unless the group already gave the
  // partitions away or the run is over (close() runs on the writer's thread: nothing more will be acknowledged).
  if (!lost && !closing_) settled_.wait_for(lock, options_.revocation_deadline, [&] { return !busy(); });
  for (const auto partition : partitions) {
    if (const auto abandoned = offsets_.in_flight(partition); abandoned > 0) {
      core::log_warn(lost ? "partition lost with messages in flight; they are left uncommitted for its new owner"
                          : "partition revoked before its messages were done; they are left uncommitted",
                     {{"topic", consumer_->topic()}, {"partition", partition}, {"messages", abandoned}});
    }
    offsets_.drop(partition);
    ++generations_[partition];
    read_to_.erase(partition);
  }
  lock.unlock();
  for (const auto partition : partitions) {
    ends_.erase(partition);
    finished_.erase(partition);
    assignment_.erase(partition);
  }
  if (assignment_.empty()) {
    // An eager rebalance takes everything back before it hands out anew: a --once run waits for that.
    assigned_now_ = false;
    unassigned_since_ = std::chrono::steady_clock::now();
  }
}

void EventHubsSource::finish_partition(int32_t partition) {
  if (!finished_.insert(partition).second) return;
  consumer_->pause(partition);
}

bool EventHubsSource::all_finished() const {
  for (const auto partition : assignment_) {
    if (finished_.count(partition) == 0) return false;
  }
  return true;
}

core::Status EventHubsSource::close() {
  if (!consumer_ || closed_) return {};
  // The last position stays for the summary; the partitions go with the group.
  auto last = position();
  {
    const std::lock_guard lock(mutex_);
    final_position_ = std::move(last);
    closed_ = true;
    closing_ = true;
  }
  const bool was_assigned = assigned_now_;
  auto closed = consumer_->close();
  if (options_.once && !unread_.empty()) {
    std::string names;
    for (const auto partition : unread_) names += fmt::format("{}{}", names.empty() ? "" : ", ", partition);
    return core::make_error(
        fmt::format("partition(s) {} of {} could not be read to their end; they are left for the "
                    "next run",
                    names, consumer_->topic()));
  }
  if (options_.once && !was_assigned) {
    const auto reason = consumer_->last_error();
    return core::make_error(fmt::format("{} of {} was assigned within {} s{}",
                                        ever_assigned_ ? "after a rebalance no partition" : "no partition",
                                        consumer_->topic(), options_.assignment_timeout.count() / 1000,
                                        reason.empty() ? std::string() : ": " + reason));
  }
  if (!closed && !options_.once) {
    // A service that stops leaves no gap: what was not committed is read again (and recognised) after a restart.
    core::log_warn("offsets not committed at stop; the messages after the last commit will be read again",
                   {{"topic", consumer_->topic()}, {"reason", closed.error().message}});
    return {};
  }
  return closed;
}

std::string EventHubsSource::position() const {
  const std::lock_guard lock(mutex_);
  if (closed_) return final_position_;
  std::string out;
  for (const auto& [partition, read_to] : read_to_) {
    const auto end = consumer_->cached_end(partition);
    out += fmt::format("{}partition {}: lag {}", out.empty() ? "" : "; ", partition,
                       end ? std::to_string(std::max<int64_t>(0, *end - read_to)) : std::string("?"));
  }
  return out;
}

uint64_t EventHubsSource::messages() const {
  const std::lock_guard lock(mutex_);
  return messages_;
}

namespace {

struct EventHubsSettings {
  std::string namespace_name;
  std::string event_hub;
  std::string consumer_group;
  std::string connection_string;  // a secret reference
  std::string start_from;
  std::string bootstrap_servers;
  std::string security_protocol;
  core::StringTable librdkafka_options;
};

const core::Settings<EventHubsSettings>& event_hubs_settings() {
  static const core::Settings<EventHubsSettings> table = [] {
    core::Settings<EventHubsSettings> settings;
    settings.text(
        "namespace", &EventHubsSettings::namespace_name, "",
        "The Event Hubs namespace the Defender Streaming API writes to, e.g. "
        "evhns-rlmde.servicebus.windows.net (a bare name gets .servicebus.windows.net); its Kafka endpoint is "
        "<namespace>:9093.");
    settings.text("event_hub", &EventHubsSettings::event_hub, "evh-defender",
                  "The event hub (the Kafka topic) with the AlertInfo and AlertEvidence events.");
    settings.text("consumer_group", &EventHubsSettings::consumer_group, "spectra-bridge",
                  "Kafka consumer group; instances with the same group share the partitions.");
    settings.secret("connection_string", &EventHubsSettings::connection_string,
                    "Connection string of a policy with Listen (SASL PLAIN as $ConnectionString); empty: OAUTHBEARER "
                    "with the [azure] identity, scope https://<namespace>/.default (role Azure Event Hubs Data "
                    "Receiver).");
    settings.text("start_from", &EventHubsSettings::start_from, "earliest",
                  "Where a consumer group with no committed offset starts.", {"earliest", "latest"});
    settings.text("bootstrap_servers", &EventHubsSettings::bootstrap_servers, "",
                  "host:port list that overrides the namespace's endpoint (another Kafka cluster, or tests).");
    settings.text("security_protocol", &EventHubsSettings::security_protocol, "sasl_ssl",
                  "sasl_ssl (TLS verified) or plaintext (loopback servers only, no authentication).",
                  {"sasl_ssl", "plaintext"});
    settings.table("librdkafka_options", &EventHubsSettings::librdkafka_options,
                   "Extra librdkafka properties, for experts, e.g. { \"fetch.wait.max.ms\" = \"100\" }; credentials, "
                   "TLS switches and the properties set from the keys above are refused.");
    return settings;
  }();
  return table;
}

//! "evhns-x" → "evhns-x.servicebus.windows.net"; a name with a dot is taken as it is.
std::string namespace_host(const std::string& name) {
  if (name.empty() || name.find('.') != std::string::npos) return name;
  return name + std::string(kDefaultDomain);
}

core::Result<EventHubsSourceOptions> source_options(const SourceContext& context) {
  auto settings = event_hubs_settings().read(context.config, context.section);
  if (!settings) return settings.error();
  const std::string host = namespace_host(settings->namespace_name);
  EventHubsSourceOptions options;
  auto& consumer = options.consumer;
  consumer.bootstrap_servers =
      settings->bootstrap_servers.empty() ? host + std::string(kKafkaPort) : settings->bootstrap_servers;
  if (host.empty() && settings->bootstrap_servers.empty()) {
    return core::make_error(fmt::format(
        "{}.namespace is empty: name the Event Hubs namespace (or set bootstrap_servers)", context.section));
  }
  if (settings->event_hub.empty()) return core::make_error(fmt::format("{}.event_hub is empty", context.section));
  if (settings->consumer_group.empty()) {
    return core::make_error(fmt::format("{}.consumer_group is empty", context.section));
  }
  consumer.topic = settings->event_hub;
  consumer.group_id = settings->consumer_group;
  consumer.start_from = settings->start_from;
  consumer.extra = settings->librdkafka_options;
  if (auto status = kafka::check_extra_options(consumer.extra); !status) {
    return core::make_error(fmt::format("{}.{}", context.section, status.error().message));
  }
  consumer.security =
      settings->security_protocol == "plaintext" ? kafka::Security::kPlaintext : kafka::Security::kSaslSsl;
  if (consumer.security == kafka::Security::kSaslSsl) {
    if (!settings->connection_string.empty()) {
      const std::string key = core::key_path(context.section, "connection_string");
      auto secret = context.azure->secret(key, settings->connection_string);
      if (!secret) return secret.error();
      consumer.sasl = kafka::Sasl::kPlain;
      consumer.sasl_username = std::string(kConnectionStringUser);
      consumer.sasl_password = std::move(secret).value();
    } else {
      if (host.empty()) {
        return core::make_error(fmt::format(
            "{}.namespace is needed for the token's scope (https://<namespace>/.default) when no connection_string "
            "is set",
            context.section));
      }
      auto tokens = context.azure->tokens();
      if (!tokens) return tokens.error();
      consumer.sasl = kafka::Sasl::kOAuthBearer;
      consumer.oauth_token = [provider = std::move(tokens).value(),
                              scope = fmt::format("https://{}/.default", host)]() -> core::Result<kafka::OAuthToken> {
        auto token = provider->access_token(scope);
        if (!token) return token.error();
        return kafka::OAuthToken{std::move(token->value), token->expires_on, "spectra-bridge"};
      };
    }
  }
  options.max_bytes = context.max_input_bytes;
  options.once = context.once;
  return options;
}

core::Result<std::unique_ptr<engine::Source>> make_event_hubs_source(const SourceContext& context) {
  auto options = source_options(context);
  if (!options) return options.error();
  auto source = EventHubsSource::create(std::move(options).value());
  if (!source) return source.error();
  return std::unique_ptr<engine::Source>(std::move(source).value());
}

//! Records whether the group gave this member its partitions.
class JoinProbe final : public kafka::RebalanceListener {
 public:
  void assigned(const std::vector<int32_t>& partitions) override {
    joined = true;
    count = partitions.size();
  }
  void revoked(const std::vector<int32_t>&, bool) override {}
  bool joined = false;
  size_t count = 0;
};

constexpr std::string_view kReceiverFix =
    "grant the identity the role \"Azure Event Hubs Data Receiver\" on the event hub, or use a connection string of "
    "a policy with Listen";

void check_event_hubs(const SourceContext& context, core::DoctorReport& report) {
  auto options = source_options(context);
  if (!options) {
    report.fail("event hubs", options.error().message);
    return;
  }
  const auto& c = options->consumer;
  JoinProbe probe;
  // A consumer group of its own: joining the real group would take partitions from running instances.
  kafka::ConsumerOptions probe_options = c;
  probe_options.group_id = c.group_id + "-doctor";
  auto consumer = kafka::Consumer::create(probe_options, &probe);
  if (!consumer) {
    report.fail("event hubs", consumer.error().message);
    return;
  }
  auto partitions = (*consumer)->partition_count(kMetadataTimeout);
  if (!partitions) {
    const auto last = (*consumer)->last_error();
    report.fail("event hubs topic",
                fmt::format("{} at {}: {}{}; {}", c.topic, c.bootstrap_servers, partitions.error().message,
                            last.empty() ? "" : " (" + last + ")", kReceiverFix));
    return;
  }
  report.ok("event hubs topic", fmt::format("{} at {}: {} partition(s)", c.topic, c.bootstrap_servers, *partitions));
  const auto deadline = std::chrono::steady_clock::now() + kDoctorTimeout;
  while (!probe.joined && std::chrono::steady_clock::now() < deadline && !context.stop.stop_requested()) {
    (void)(*consumer)->poll(kPollSlice);
  }
  if (probe.joined) {
    report.ok("event hubs consumer group",
              fmt::format("joined as {} ({} partition(s) assigned to the probe); the service uses {}",
                          probe_options.group_id, probe.count, c.group_id));
  } else {
    const auto last = (*consumer)->last_error();
    report.fail("event hubs consumer group",
                fmt::format("could not join a consumer group within {} s{}; {}", kDoctorTimeout.count() / 1000,
                            last.empty() ? "" : " (" + last + ")", kReceiverFix));
  }
}

}  // namespace

const SourceEntry& event_hubs_source_entry() {
  static const SourceEntry entry{
      .name = "event_hubs",
      .summary =
          "Defender Streaming API messages from an Azure event hub (its Kafka endpoint), in a consumer group; "
          "offsets committed only after every effect.",
      .pipeline = "scan",
      .keys = [](const engine::PipelineTraits&,
                 std::string_view section) { return event_hubs_settings().keys(section); },
      .make = make_event_hubs_source,
      .doctor = check_event_hubs,
  };
  return entry;
}

}  // namespace sb::sources
