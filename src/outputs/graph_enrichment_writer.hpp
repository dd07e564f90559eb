// Defender write-back through Microsoft Graph: each enrichment becomes one comment on the alert's incident and/or
// the alert, plus optional incident tags, posted only where the marker line is not there already.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "azure/graph_client.hpp"
#include "engine/enrichment_writer.hpp"
#include "engine/sink.hpp"

namespace sb::outputs {

struct GraphWriterOptions {
  bool comment_on_incident = true;
  bool comment_on_alert = true;
  //! Incident tags to add (merged with the analysts' tags, never replacing them). "{classification}" becomes the
  //! enrichment's worst classification, e.g. "ReversingLabs: {classification}" → "ReversingLabs: malicious".
  std::vector<std::string> tags;
};

class GraphEnrichmentWriter final : public engine::EnrichmentWriter {
 public:
  //! `dead_letters` receives enrichments Graph refuses (an alert it does not know, a 400 on a comment);
  //! flushing thread only.
  GraphEnrichmentWriter(std::unique_ptr<azure::GraphClient> graph, engine::DeadLetterRecorder* dead_letters,
                        GraphWriterOptions options);

  std::string_view name() const override { return "graph"; }
  core::Status write(const std::vector<defender::Enrichment>& enrichments) override;
  //! Posts what is missing, enrichment by enrichment. A failure leaves the rest for the retry, which finds the
  //! comments already posted by their markers and does not post them again.
  core::Status flush() override;
  void discard() override;
  size_t written() const override { return written_; }
  size_t duplicates() const override { return duplicates_; }

 private:
  //! Posts one enrichment; `posted` tells whether anything new went out.
  core::Status deliver(const defender::Enrichment& enrichment, bool& posted);
  core::Status set_aside(const defender::Enrichment& enrichment, const std::string& refusal);

  std::unique_ptr<azure::GraphClient> graph_;
  engine::DeadLetterRecorder* dead_letters_;
  GraphWriterOptions options_;
  std::vector<const std::vector<defender::Enrichment>*> pending_;  // valid until flush() or discard() returns
  size_t written_ = 0;
  size_t duplicates_ = 0;
};

//! `tags` with "{classification}" replaced by `classification`.
std::vector<std::string> expand_tags(const std::vector<std::string>& tags, std::string_view classification);

}  // namespace sb::outputs
