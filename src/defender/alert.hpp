// Alerts as the scanner sees them: AlertInfo context plus the files (hashes) of their AlertEvidence.
#pragma once

#include <string>
#include <vector>

namespace sb::defender {

//! One file named by an alert's evidence. Hashes are lower-case and validated; any may be empty.
struct FileEvidence {
  std::string sha1;
  std::string sha256;
  std::string md5;
  std::string file_name;
  std::string folder_path;
  std::string device_name;
  std::string evidence_role;  // "Impacted" / "Related"
  std::string entity_type;    // "File", "Process", …
};

struct Alert {
  std::string alert_id;
  // From AlertInfo (empty until an AlertInfo record for the alert is seen).
  std::string title;
  std::string severity;
  std::string category;
  std::string detection_source;
  std::string service_source;
  bool has_info = false;
  //! Distinct files, in the order first seen (the same file on two evidence rows is listed once).
  std::vector<FileEvidence> files;
};

}  // namespace sb::defender
