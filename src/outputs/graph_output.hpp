// Defender write-back through Microsoft Graph: each enrichment becomes one comment on the alert's incident and/or
// the alert, plus optional incident tags, posted only where the marker line is not there already.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "azure/graph_client.hpp"
#include "defender/enrichment.hpp"
#include "engine/dead_letters.hpp"
#include "engine/output.hpp"

namespace sb::outputs {

struct GraphOutputOptions {
  bool comment_on_incident = true;
  bool comment_on_alert = true;
  //! Incident tags to add (merged with the analysts' tags, never replacing them). "{classification}" becomes the
  //! enrichment's worst classification, e.g. "ReversingLabs: {classification}" → "ReversingLabs: malicious".
  std::vector<std::string> tags;
};

class GraphOutput final : public engine::Output<defender::Enrichment> {
 public:
  //! `dead_letters` receives enrichments Graph refuses (an alert it does not know, a 400 on a comment);
  //! flushing thread only.
  GraphOutput(std::unique_ptr<azure::GraphClient> graph, engine::DeadLetterRecorder* dead_letters,
              GraphOutputOptions options);

  std::string_view name() const override { return "graph"; }
  engine::CommitOrder commit_order() const override { return engine::CommitOrder::kIrrevocable; }
  core::Status write(std::span<const defender::Enrichment> enrichments) override;
  //! Posts what is missing, enrichment by enrichment. A failure leaves the rest for the retry, which finds the
  //! comments already posted by their markers and does not post them again.
  core::Status flush() override;
  void discard() override;
  engine::OutputCounters counters() const override { return {written_, duplicates_}; }

 private:
  //! Posts one enrichment; `posted` tells whether anything new went out.
  core::Status deliver(const defender::Enrichment& enrichment, bool& posted);
  core::Status set_aside(const defender::Enrichment& enrichment, const std::string& refusal);

  std::unique_ptr<azure::GraphClient> graph_;
  engine::DeadLetterRecorder* dead_letters_;
  GraphOutputOptions options_;
  std::vector<std::span<const defender::Enrichment>> pending_;  // valid until flush() or discard() returns
  uint64_t written_ = 0;
  uint64_t duplicates_ = 0;
};

//! `tags` with "{classification}" replaced by `classification`.
std::vector<std::string> expand_tags(const std::vector<std::string>& tags, std::string_view classification);

}  // namespace sb::outputs
