// The mock cluster helper process and a librdkafka producer and offset reader against it.
#include "support/kafka_mock.hpp"

#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

namespace sb::test {
namespace {

constexpr int kTimeoutMs = 10'000;
constexpr auto kExitWait = std::chrono::seconds(5);

rd_kafka_t* new_client(rd_kafka_type_t type, const std::string& bootstrap, const std::string& group = {}) {
  std::array<char, 512> error{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error.data(), error.size());
  rd_kafka_conf_set(conf, "log_level", "3", error.data(), error.size());
  if (type == RD_KAFKA_PRODUCER) {
    rd_kafka_conf_set(conf, "message.max.bytes", "10000000", error.data(), error.size());
    rd_kafka_conf_set(conf, "linger.ms", "1", error.data(), error.size());
  }
  if (!group.empty()) rd_kafka_conf_set(conf, "group.id", group.c_str(), error.data(), error.size());
  rd_kafka_t* client = rd_kafka_new(type, conf, error.data(), error.size());
  if (client == nullptr) rd_kafka_conf_destroy(conf);
  return client;
}

}  // namespace

KafkaMock::KafkaMock(std::vector<Topic> topics, int brokers) {
  int to_child[2];
  int from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) return;
  std::vector<std::string> args = {SB_KAFKA_MOCK, "--brokers", std::to_string(brokers)};
  for (const auto& topic : topics) {
    args.insert(args.end(), {"--topic", topic.name, "--partitions", std::to_string(topic.partitions)});
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(to_child[0], STDIN_FILENO);
    ::dup2(from_child[1], STDOUT_FILENO);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  stdin_fd_ = to_child[1];
  std::string line;
  char c = 0;
  while (::read(from_child[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(from_child[0]);
  if (line.starts_with("bootstrap=")) bootstrap_ = line.substr(std::string_view("bootstrap=").size());
  if (!bootstrap_.empty()) producer_ = new_client(RD_KAFKA_PRODUCER, bootstrap_);
}

KafkaMock::~KafkaMock() {
  if (producer_ != nullptr) rd_kafka_destroy(static_cast<rd_kafka_t*>(producer_));
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (pid_ <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + kExitWait;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool KafkaMock::produce(const std::string& topic, int partition,
                        const std::vector<std::optional<std::string>>& values) {
  auto* producer = static_cast<rd_kafka_t*>(producer_);
  if (producer == nullptr) return false;
  for (const auto& value : values) {
    void* data = value ? const_cast<char*>(value->data()) : nullptr;
    const size_t size = value ? value->size() : 0;
    while (true) {
      const auto err =
          rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                            RD_KAFKA_V_VALUE(data, size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(producer, 100);
        continue;
      }
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
      break;
    }
    rd_kafka_poll(producer, 0);
  }
  return rd_kafka_flush(producer, kTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

int64_t KafkaMock::committed(const std::string& group, const std::string& topic, int partition) const {
  rd_kafka_t* consumer = new_client(RD_KAFKA_CONSUMER, bootstrap_, group);
  if (consumer == nullptr) return -2;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition);
  int64_t offset = -2;
  if (rd_kafka_committed(consumer, list, kTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    offset = list->elems[0].offset < 0 ? -1 : list->elems[0].offset;
  }
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(consumer);
  return offset;
}

int64_t KafkaMock::end_offset(const std::string& topic, int partition) const {
  int64_t low = 0;
  int64_t high = -1;
  rd_kafka_query_watermark_offsets(static_cast<rd_kafka_t*>(producer_), topic.c_str(), partition, &low, &high,
                                   kTimeoutMs);
  return high;
}

std::string event_hubs_config(const KafkaMock& mock, const std::string& topic, const std::string& group,
                              const std::string& scan_keys) {
  return fmt::format(
      "[scan]\nsource = \"event_hubs\"\n{}"
      "[scan.event_hubs]\nbootstrap_servers = \"{}\"\nsecurity_protocol = \"plaintext\"\nevent_hub = \"{}\"\n"
      "consumer_group = \"{}\"\n"
      "librdkafka_options = {{ \"session.timeout.ms\" = \"6000\", \"heartbeat.interval.ms\" = \"500\", "
      "\"auto.commit.interval.ms\" = \"1000\", \"topic.metadata.refresh.interval.ms\" = \"1000\" }}\n",
      scan_keys, mock.bootstrap(), topic, group);
}

}  // namespace sb::test
