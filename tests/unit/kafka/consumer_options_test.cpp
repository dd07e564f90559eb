// What the Kafka consumer accepts: extra librdkafka properties that carry no secret, keep TLS verified and leave the
// group, servers and offset storage alone; plaintext only to loopback; Microsoft's recommended settings.
#include <gtest/gtest.h>

#include "kafka/consumer.hpp"

namespace sb::kafka {
namespace {

TEST(ConsumerOptions, ExtraPropertiesThatHoldSecretsWeakenTlsOrTakeOverOwnedSettingsAreRefused) {
  EXPECT_TRUE(check_extra_options({{"fetch.wait.max.ms", "100"}, {"debug", "consumer,cgrp"}}).ok());
  for (const char* name : {"sasl.password", "SASL.USERNAME", "sasl.oauthbearer.client.secret", "ssl.key.password",
                           "ssl.key.pem", "ssl.keystore.location", "sasl.jaas.config"}) {
    const auto status = check_extra_options({{name, "x"}});
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_NE(status.error().message.find(name), std::string::npos) << status.error().message;
    EXPECT_EQ(status.error().message.find("\"x\""), std::string::npos) << "the value is never repeated";
  }
  for (const char* name : {"bootstrap.servers", "group.id", "enable.auto.offset.store", "enable.auto.commit",
                           "security.protocol", "auto.offset.reset"}) {
    const auto status = check_extra_options({{name, "x"}});
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_NE(status.error().message.find("set by spectra-bridge"), std::string::npos) << status.error().message;
  }
  EXPECT_FALSE(check_extra_options({{"enable.ssl.certificate.verification", "false"}}).ok());
  EXPECT_FALSE(check_extra_options({{"ssl.endpoint.identification.algorithm", "none"}}).ok());
  EXPECT_TRUE(check_extra_options({{"enable.ssl.certificate.verification", "true"}}).ok());
}

TEST(ConsumerOptions, PlaintextIsOnlyForLoopbackServers) {
  EXPECT_TRUE(all_loopback("127.0.0.1:9092"));
  EXPECT_TRUE(all_loopback("localhost:9092, 127.0.0.2:9093,[::1]:9094"));
  EXPECT_FALSE(all_loopback("127.0.0.1:9092,broker.example.com:9092"));
  EXPECT_FALSE(all_loopback("evhns.servicebus.windows.net:9093"));
  EXPECT_FALSE(all_loopback(""));
  ConsumerOptions options;
  options.bootstrap_servers = "10.0.0.5:9092";
  options.topic = "t";
  options.group_id = "g";
  options.security = Security::kPlaintext;
  auto consumer = Consumer::create(options, nullptr);
  ASSERT_FALSE(consumer.ok());
  EXPECT_NE(consumer.error().message.find("loopback"), std::string::npos);
}

TEST(ConsumerOptions, MicrosoftsRecommendedSettingsAreTheDefaults) {
  const auto& properties = recommended_properties();
  auto value_of = [&](const std::string& name) {
    for (const auto& [key, value] : properties) {
      if (key == name) return value;
    }
    return std::string();
  };
  EXPECT_EQ(value_of("socket.keepalive.enable"), "true");
  EXPECT_EQ(value_of("metadata.max.age.ms"), "180000");
  EXPECT_EQ(value_of("connections.max.idle.ms"), "180000");
  EXPECT_EQ(value_of("session.timeout.ms"), "30000");
  EXPECT_EQ(value_of("heartbeat.interval.ms"), "3000");
  EXPECT_EQ(value_of("max.poll.interval.ms"), "300000");
}

}  // namespace
}  // namespace sb::kafka
