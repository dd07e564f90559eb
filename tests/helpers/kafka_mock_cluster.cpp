// A Kafka-protocol broker for tests, in its own process: librdkafka's mock cluster on loopback. Prints
// "bootstrap=HOST:PORT,..." once it listens, then serves until its standard input closes (the test ended or died).
//   sb_kafka_mock_cluster [--brokers N] [--topic NAME --partitions P]...
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Topic {
  std::string name;
  int partitions = 1;
};

}  // namespace

int main(int argc, char** argv) {
  int brokers = 1;
  std::vector<Topic> topics;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--brokers") {
      brokers = std::atoi(value.c_str());
    } else if (flag == "--topic") {
      topics.push_back({value, 1});
    } else if (flag == "--partitions" && !topics.empty()) {
      topics.back().partitions = std::atoi(value.c_str());
    } else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  std::array<char, 512> error{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", error.data(), error.size());
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
  if (handle == nullptr) {
    std::fprintf(stderr, "rd_kafka_new: %s\n", error.data());
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
  if (cluster == nullptr) {
    std::fprintf(stderr, "cannot create the mock cluster\n");
    return 1;
  }
  for (const auto& topic : topics) {
    if (rd_kafka_mock_topic_create(cluster, topic.name.c_str(), topic.partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "cannot create topic %s\n", topic.name.c_str());
      return 1;
    }
  }
  std::printf("bootstrap=%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  std::fflush(stdout);
  std::array<char, 256> buffer{};
  while (::read(STDIN_FILENO, buffer.data(), buffer.size()) > 0) {
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  return 0;
}
