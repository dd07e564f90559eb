// The graph output against the fake Graph of microsoft.md §2: one comment per alert and incident with the documented
// body, tags merged not replaced, nothing posted twice (replays, retries after a failure), 403 naming the missing
// permission, an alert Graph does not know dead-lettered, 429 waited out.
#include <gtest/gtest.h>

#include <deque>

#include "azure/graph_client.hpp"
#include "outputs/graph_output.hpp"
#include "support/azure_clients.hpp"
#include "support/fake_entra.hpp"
#include "support/fake_graph.hpp"

namespace sb::outputs {
namespace {

using namespace std::chrono_literals;

defender::Enrichment enrichment(const std::string& alert_id, const std::string& hash) {
  defender::Enrichment e;
  e.alert_id = alert_id;
  e.worst = intel::Classification::kMalicious;
  e.threat_name = "Win32.Ransomware.Tox";
  e.marker = "spectra-bridge:" + alert_id + ":" + hash;
  e.comment = "ReversingLabs: malicious (Win32.Ransomware.Tox), 1 of 1 files\n" + e.marker;
  return e;
}

class Letters final : public engine::DeadLetterRecorder {
 public:
  core::Status record(std::string_view source, std::string_view name, const core::Error& reason, std::string_view,
                      std::string_view payload) override {
    entries.push_back(std::string(source) + "|" + std::string(name) + "|" + reason.message + "|" +
                      std::string(payload));
    return {};
  }
  std::vector<std::string> entries;
};

class GraphWriterTest : public testing::Test {
 protected:
  void SetUp() override {
    entra.start();
    graph.start();
    graph.add_alert("da637578995287051192_756343937", "28282");
    graph.add_incident("28282", {"analyst-tag"});
  }

  std::unique_ptr<outputs::GraphOutput> make_writer(outputs::GraphOutputOptions options = {}) {
    azure::GraphOptions graph_options;
    graph_options.endpoint = graph.url();
    graph_options.requests_per_minute = 0;
    auto client =
        azure::GraphClient::create(graph_options, test::client_secret_tokens(entra), test::fast_http_client());
    EXPECT_TRUE(client) << client.error().message;
    return std::make_unique<outputs::GraphOutput>(std::move(client).value(), &letters, std::move(options));
  }

  size_t posts() const {
    size_t count = 0;
    for (const auto& request : graph.requests()) count += request.method != "GET" ? 1 : 0;
    return count;
  }

  //! Enrichments handed to a writer must outlive its next flush (engine::Output::write): the fixture keeps
  //! them.
  const std::vector<defender::Enrichment>& keep(std::vector<defender::Enrichment> batch) {
    return kept_.emplace_back(std::move(batch));
  }

  test::FakeEntra entra;
  test::FakeGraph graph{entra};
  Letters letters;
  std::deque<std::vector<defender::Enrichment>> kept_;
  const std::string alert = "da637578995287051192_756343937";
};

TEST_F(GraphWriterTest, OneCommentOnTheIncidentAndOneOnTheAlertWithTheDocumentedBody) {
  auto writer = make_writer();
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  EXPECT_EQ(graph.incident_comments("28282"), std::vector<std::string>{enrichment(alert, "aa").comment});
  EXPECT_EQ(graph.alert_comments(alert), std::vector<std::string>{enrichment(alert, "aa").comment});
  EXPECT_EQ(writer->counters().written, 1u);
  bool saw_alert_post = false;
  for (const auto& request : graph.requests()) {
    if (request.method != "POST") continue;
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    EXPECT_TRUE(request.body.starts_with(R"({"@odata.type":"microsoft.graph.security.alertComment","comment":")"))
        << request.body;
    if (request.path == "/v1.0/security/alerts_v2/" + alert + "/comments") saw_alert_post = true;
  }
  EXPECT_TRUE(saw_alert_post);
}

TEST_F(GraphWriterTest, TagsAreMergedWithTheAnalystsTags) {
  outputs::GraphOutputOptions options;
  options.tags = {"ReversingLabs", "ReversingLabs: {classification}"};
  auto writer = make_writer(options);
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  EXPECT_EQ(graph.incident_tags("28282"),
            (std::vector<std::string>{"analyst-tag", "ReversingLabs", "ReversingLabs: malicious"}));
}

TEST_F(GraphWriterTest, AReplayFindsItsMarkersAndPostsNothing) {
  outputs::GraphOutputOptions options;
  options.tags = {"ReversingLabs"};
  auto writer = make_writer(options);
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  const size_t posted = posts();

  auto again = make_writer(options);  // a restart: nothing remembered in memory
  ASSERT_TRUE(again->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(again->flush());
  EXPECT_EQ(posts(), posted);
  EXPECT_EQ(again->counters().duplicates, 1u);
  EXPECT_EQ(graph.alert_comments(alert).size(), 1u);
  EXPECT_EQ(graph.incident_comments("28282").size(), 1u);
}

TEST_F(GraphWriterTest, AFailureHalfWayIsRetriedWithoutPostingTwice) {
  auto writer = make_writer();
  // The incident comment goes out, then the alert comment is refused.
  graph.deny("SecurityAlert.ReadWrite.All");
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_FALSE(writer->flush());
  EXPECT_EQ(graph.incident_comments("28282").size(), 1u);
  EXPECT_TRUE(graph.alert_comments(alert).empty());

  // The pipeline's retry (or the next run) writes the same enrichment again.
  graph.allow_all();
  writer->discard();
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  EXPECT_EQ(graph.incident_comments("28282").size(), 1u);
  EXPECT_EQ(graph.alert_comments(alert).size(), 1u);
}

TEST_F(GraphWriterTest, AMissingPermissionIsAPermanentErrorThatNamesIt) {
  graph.deny("SecurityIncident.ReadWrite.All");
  auto writer = make_writer();
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  auto status = writer->flush();
  ASSERT_FALSE(status);
  EXPECT_TRUE(status.error().refused_for_good());
  EXPECT_NE(status.error().message.find("SecurityIncident.ReadWrite.All"), std::string::npos) << status.error().message;
}

TEST_F(GraphWriterTest, AnAlertGraphDoesNotKnowIsDeadLetteredAndTheRestGoOn) {
  auto writer = make_writer();
  ASSERT_TRUE(writer->write(keep({enrichment("unknown-alert", "bb"), enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  ASSERT_EQ(letters.entries.size(), 1u);
  EXPECT_TRUE(
      letters.entries[0].starts_with("graph|unknown-alert|graph: GET /security/alerts_v2/unknown-alert answered "
                                     "HTTP 404"))
      << letters.entries[0];
  EXPECT_NE(letters.entries[0].find("\"marker\":\"spectra-bridge:unknown-alert:bb\""), std::string::npos);
  EXPECT_EQ(graph.alert_comments(alert).size(), 1u);
}

TEST_F(GraphWriterTest, ACommentGraphRefusesIsDeadLetteredInsteadOfStoppingTheScan) {
  graph.add_alert("da2", "28282");
  auto writer = make_writer();
  auto refused = enrichment("da2", "cc");
  refused.comment.clear();  // Graph answers 400 to an empty comment
  ASSERT_TRUE(writer->write(keep({refused, enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  ASSERT_EQ(letters.entries.size(), 1u);
  EXPECT_NE(letters.entries[0].find("answered HTTP 400"), std::string::npos) << letters.entries[0];
  EXPECT_EQ(graph.alert_comments(alert).size(), 1u);
}

TEST_F(GraphWriterTest, AMarkerIsMatchedAsAWholeLineNotAsThePrefixOfALargerFileSet) {
  auto writer = make_writer();
  auto larger = enrichment(alert, "aa,bb");
  ASSERT_TRUE(writer->write(keep({larger})));
  ASSERT_TRUE(writer->flush());
  // "spectra-bridge:ALERT:aa" is a prefix of "spectra-bridge:ALERT:aa,bb": a different file set, posted too.
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  EXPECT_EQ(graph.alert_comments(alert).size(), 2u);
}

TEST_F(GraphWriterTest, CommentOnAlertOnlyDoesNotTouchTheIncident) {
  outputs::GraphOutputOptions options;
  options.comment_on_incident = false;
  auto writer = make_writer(options);
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  EXPECT_TRUE(graph.incident_comments("28282").empty());
  for (const auto& request : graph.requests()) EXPECT_EQ(request.path.find("/incidents/"), std::string::npos);
}

TEST_F(GraphWriterTest, ThrottlingIsWaitedOut) {
  graph.fail_next(429, 1, "1");
  auto writer = make_writer();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(writer->write(keep({enrichment(alert, "aa")})));
  ASSERT_TRUE(writer->flush());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
  EXPECT_EQ(graph.alert_comments(alert).size(), 1u);
}

TEST(GraphTags, ClassificationPlaceholderAndDuplicates) {
  EXPECT_EQ(outputs::expand_tags({"RL", "RL: {classification}", "RL"}, "suspicious"),
            (std::vector<std::string>{"RL", "RL: suspicious"}));
}

}  // namespace
}  // namespace sb::outputs
