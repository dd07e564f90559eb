// Enrichment → JSON with the shared writer, so every string is escaped and valid UTF-8.
#include "defender/enrichment_json.hpp"

#include "core/json_writer.hpp"
#include "intel/verdict_json.hpp"

namespace sb::defender {
namespace {

void write_files(core::JsonWriter& out, const Enrichment& enrichment) {
  out.begin_array();
  for (const auto& item : enrichment.files) {
    const auto& file = item.file;
    out.begin_object();
    out.key("file_name").value(file.file_name);
    out.key("folder_path").value(file.folder_path);
    out.key("device_name").value(file.device_name);
    out.key("evidence_role").value(file.evidence_role);
    out.key("entity_type").value(file.entity_type);
    out.key("sha1").value(file.sha1);
    out.key("sha256").value(file.sha256);
    out.key("md5").value(file.md5);
    out.key("verdict");
    intel::write_verdict_json(out, item.verdict);
    out.end_object();
  }
  out.end_array();
}

}  // namespace

std::string enrichment_json(const Enrichment& enrichment, std::string_view posted_at) {
  std::string text;
  core::JsonWriter out(text);
  out.begin_object();
  out.key("alert_id").value(enrichment.alert_id);
  out.key("title").value(enrichment.title);
  out.key("severity").value(enrichment.severity);
  out.key("classification").value(intel::classification_name(enrichment.worst));
  out.key("threat_name").value(enrichment.threat_name);
  out.key("marker").value(enrichment.marker);
  out.key("comment").value(enrichment.comment);
  out.key("posted_at").value(posted_at);
  out.key("files");
  write_files(out, enrichment);
  out.end_object();
  return text;
}

std::string files_json(const Enrichment& enrichment) {
  std::string text;
  core::JsonWriter out(text);
  write_files(out, enrichment);
  return text;
}

std::string hashes_json(const Enrichment& enrichment) {
  std::string text;
  core::JsonWriter out(text);
  out.begin_array();
  for (const auto& item : enrichment.files) out.value(primary_hash(item.file));
  out.end_array();
  return text;
}

}  // namespace sb::defender
