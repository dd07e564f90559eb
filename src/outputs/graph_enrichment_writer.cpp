// Per enrichment: GET the alert (its incident and comments), GET the incident when it is commented or tagged,
// then POST only the comments whose marker is missing and PATCH the tags only when one is missing. A replay after
// a crash therefore costs the reads and posts nothing.
#include "outputs/graph_enrichment_writer.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "defender/enrichment_json.hpp"

namespace sb::outputs {
namespace {

constexpr std::string_view kClassificationPlaceholder = "{classification}";

//! Whether a comment holds `marker` as a whole line: a marker is a prefix of the marker of a larger file set.
bool has_marker(const std::vector<std::string>& comments, const std::string& marker) {
  return std::any_of(comments.begin(), comments.end(), [&](const std::string& comment) {
    for (auto at = comment.find(marker); at != std::string::npos; at = comment.find(marker, at + 1)) {
      const bool line_start = at == 0 || comment[at - 1] == '\n';
      const auto end = at + marker.size();
      const bool line_end = end == comment.size() || comment[end] == '\n' || comment[end] == '\r';
      if (line_start && line_end) return true;
    }
    return false;
  });
}

}  // namespace

std::vector<std::string> expand_tags(const std::vector<std::string>& tags, std::string_view classification) {
  std::vector<std::string> out;
  for (std::string tag : tags) {
    for (auto at = tag.find(kClassificationPlaceholder); at != std::string::npos;
         at = tag.find(kClassificationPlaceholder, at + classification.size())) {
      tag.replace(at, kClassificationPlaceholder.size(), classification);
    }
    if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(std::move(tag));
  }
  return out;
}

GraphEnrichmentWriter::GraphEnrichmentWriter(std::unique_ptr<azure::GraphClient> graph,
                                             engine::DeadLetterRecorder* dead_letters, GraphWriterOptions options)
    : graph_(std::move(graph)), dead_letters_(dead_letters), options_(std::move(options)) {}

core::Status GraphEnrichmentWriter::write(const std::vector<defender::Enrichment>& enrichments) {
  pending_.push_back(&enrichments);
  return {};
}

core::Status GraphEnrichmentWriter::set_aside(const defender::Enrichment& enrichment, const std::string& refusal) {
  // Graph refused this one item (an alert it does not know, a comment it will not take): the enrichment goes to
  // the dead letters with everything needed to post it by hand or replay it, and the others go on.
  core::log_error("enrichment not posted; it goes to the dead letters",
                  {{"alert", enrichment.alert_id}, {"reason", refusal}});
  return dead_letters_->record("graph", enrichment.alert_id, core::make_error(refusal), {},
                               defender::enrichment_json(enrichment, core::now_iso8601_utc()));
}

core::Status GraphEnrichmentWriter::deliver(const defender::Enrichment& enrichment, bool& posted) {
  posted = false;
  // Graph refusing one call (an alert it does not know, a comment it will not take) sets this enrichment aside; any
  // other failure fails the batch.
  const auto refused = [&](const core::Error& error) {
    return error.kind == core::ErrorKind::kRefusedItem ? set_aside(enrichment, error.message) : core::Status(error);
  };
  auto alert = graph_->get_alert(enrichment.alert_id);
  if (!alert) return refused(alert.error());
  const auto& incident_id = alert->incident_id;
  const auto tags = expand_tags(options_.tags, intel::classification_name(enrichment.worst));

  std::optional<azure::GraphIncident> incident;
  if ((options_.comment_on_incident || !tags.empty()) && !incident_id.empty()) {
    auto found = graph_->get_incident(incident_id);
    if (!found) return refused(found.error());
    incident = std::move(found).value();
  }
  if (options_.comment_on_incident && !incident) {
    core::log_warn("alert belongs to no incident yet; its incident comment is skipped",
                   {{"alert", enrichment.alert_id}});
  }
  if (options_.comment_on_incident && incident && !has_marker(incident->comments, enrichment.marker)) {
    if (auto status = graph_->post_incident_comment(incident_id, enrichment.comment); !status) {
      return refused(status.error());
    }
    posted = true;
  }
  if (options_.comment_on_alert && !has_marker(alert->comments, enrichment.marker)) {
    if (auto status = graph_->post_alert_comment(enrichment.alert_id, enrichment.comment); !status) {
      return refused(status.error());
    }
    posted = true;
  }
  if (incident && !tags.empty()) {
    std::vector<std::string> merged = incident->custom_tags;
    for (const auto& tag : tags) {
      if (std::find(merged.begin(), merged.end(), tag) == merged.end()) merged.push_back(tag);
    }
    if (merged.size() != incident->custom_tags.size()) {
      if (auto status = graph_->set_incident_tags(incident_id, merged); !status) return refused(status.error());
      posted = true;
    }
  }
  return {};
}

core::Status GraphEnrichmentWriter::flush() {
  // The batch ends here either way; after a failure the pipeline writes it again and the markers skip what is
  // already posted.
  const auto batches = std::move(pending_);
  pending_.clear();
  for (const auto* enrichments : batches) {
    for (const auto& enrichment : *enrichments) {
      bool posted = false;
      if (auto status = deliver(enrichment, posted); !status) return status;
      ++(posted ? written_ : duplicates_);
    }
  }
  return {};
}

void GraphEnrichmentWriter::discard() {
  pending_.clear();
}

}  // namespace sb::outputs
