// Per enrichment: GET the alert (its incident and comments), GET the incident when it is commented or tagged,
// then POST only the comments whose marker is missing and PATCH the tags only when one is missing. A replay after
// a crash therefore costs the reads and posts nothing.
#include "outputs/graph_output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/settings.hpp"
#include "defender/enrichment_json.hpp"
#include "outputs/output_entry.hpp"

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

GraphOutput::GraphOutput(std::unique_ptr<azure::GraphClient> graph, engine::DeadLetterRecorder* dead_letters,
                         GraphOutputOptions options)
    : graph_(std::move(graph)), dead_letters_(dead_letters), options_(std::move(options)) {}

core::Status GraphOutput::write(std::span<const defender::Enrichment> enrichments) {
  pending_.push_back(enrichments);
  return {};
}

core::Status GraphOutput::set_aside(const defender::Enrichment& enrichment, const std::string& refusal) {
  // Graph refused this one item (an alert it does not know, a comment it will not take): the enrichment goes to
  // the dead letters with everything needed to post it by hand or replay it, and the others go on.
  core::log_error("enrichment not posted; it goes to the dead letters",
                  {{"alert", enrichment.alert_id}, {"reason", refusal}});
  return dead_letters_->record("graph", enrichment.alert_id, core::make_error(refusal, core::ErrorKind::kRefusedItem),
                               {}, defender::enrichment_json(enrichment, core::now_iso8601_utc()));
}

core::Status GraphOutput::deliver(const defender::Enrichment& enrichment, bool& posted) {
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

core::Status GraphOutput::flush() {
  // The batch ends here either way; after a failure the pipeline writes it again and the markers skip what is
  // already posted.
  const auto batches = std::move(pending_);
  pending_.clear();
  for (const auto& enrichments : batches) {
    for (const auto& enrichment : enrichments) {
      bool posted = false;
      if (auto status = deliver(enrichment, posted); !status) return status;
      ++(posted ? written_ : duplicates_);
    }
  }
  return {};
}

void GraphOutput::discard() {
  pending_.clear();
}

namespace {

struct GraphSettings {
  std::string endpoint;
  std::string scope;
  std::vector<std::string> comment_on;
  std::vector<std::string> tags;
  double requests_per_minute = 150;
};

const core::Settings<GraphSettings>& graph_settings() {
  static const core::Settings<GraphSettings> settings = [] {
    core::Settings<GraphSettings> table;
    table.url("endpoint", &GraphSettings::endpoint, "https://graph.microsoft.com",
              "Microsoft Graph; national clouds: https://graph.microsoft.us, https://dod-graph.microsoft.us.");
    table.text("scope", &GraphSettings::scope, azure::kGraphScope,
               "Token scope for Graph (the endpoint followed by /.default).");
    table.list("comment_on", &GraphSettings::comment_on, {"incident", "alert"},
               "Post the enrichment comment on the alert's incident and/or on the alert.", {"incident", "alert"});
    table.list("tags", &GraphSettings::tags, {},
               "Tags added to the incident, merged with its existing tags; {classification} becomes the worst "
               "verdict, e.g. \"ReversingLabs: {classification}\".");
    table.number("requests_per_minute", &GraphSettings::requests_per_minute, 150,
                 "Graph request budget (the security API allows 150 per minute per app and tenant); 0 means unlimited.",
                 0, 100'000);
    return table;
  }();
  return settings;
}

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

core::Result<std::unique_ptr<azure::GraphClient>> make_client(const OutputContext& context,
                                                              const GraphSettings& settings) {
  azure::GraphOptions options;
  options.endpoint = settings.endpoint;
  options.scope = settings.scope;
  options.requests_per_minute = settings.requests_per_minute;
  options.stop = context.stop;
  auto tokens = context.azure.tokens();
  if (!tokens) return tokens.error();
  auto http = context.azure.http();
  if (!http) return http.error();
  return azure::GraphClient::create(std::move(options), std::move(tokens).value(), std::move(http).value());
}

core::Result<std::unique_ptr<engine::Output<defender::Enrichment>>> make_output(const OutputContext& context) {
  auto settings = graph_settings().read(context.config, context.section);
  if (!settings) return settings.error();
  GraphOutputOptions options;
  options.comment_on_incident = has(settings->comment_on, "incident");
  options.comment_on_alert = has(settings->comment_on, "alert");
  options.tags = settings->tags;
  if (!options.comment_on_incident && !options.comment_on_alert && options.tags.empty()) {
    return core::make_error(fmt::format("{}.writers has graph but {}.comment_on and {}.tags are both empty",
                                        context.pipeline.name, context.section, context.section));
  }
  auto graph = make_client(context, *settings);
  if (!graph) return graph.error();
  return std::unique_ptr<engine::Output<defender::Enrichment>>(
      std::make_unique<GraphOutput>(std::move(graph).value(), context.dead_letters, std::move(options)));
}

void check(const OutputContext& context, core::DoctorReport& report) {
  auto settings = graph_settings().read(context.config, context.section);
  if (!settings) {
    report.fail("graph", settings.error().message);
    return;
  }
  if (!context.azure.check_token(settings->scope, report)) return;
  auto client = make_client(context, *settings);
  if (!client) {
    report.fail("graph", client.error().message);
    return;
  }
  // Every enrichment starts by reading its alert (for the incident id), whatever it is posted on.
  if (auto status = (*client)->check_read_access(false); status) {
    report.ok("graph alerts", "read access (posting needs SecurityAlert.ReadWrite.All)");
  } else {
    report.fail("graph alerts", status.error().message);
  }
  if (has(settings->comment_on, "incident") || !settings->tags.empty()) {
    if (auto status = (*client)->check_read_access(true); status) {
      report.ok("graph incidents", "read access (posting needs SecurityIncident.ReadWrite.All)");
    } else {
      report.fail("graph incidents", status.error().message);
    }
  }
}

}  // namespace

const OutputEntry& graph_output_entry() {
  static const OutputEntry entry{
      .name = "graph",
      .summary = "Defender through Microsoft Graph: a comment on the alert and its incident, optional incident tags.",
      .keys = [](const engine::PipelineTraits&, std::string_view section) { return graph_settings().keys(section); },
      .rows = {},
      .enrichments = make_output,
      .dead_letters = {},
      .doctor = check,
  };
  return entry;
}

}  // namespace sb::outputs
