// An enrichment as one compact JSON object (NDJSON writer, the enrichments table's verdicts column).
#pragma once

#include <string>
#include <string_view>

#include "defender/enrichment.hpp"

namespace sb::defender {

//! {"alert_id","title","severity","classification","threat_name","marker","comment","posted_at","files":[…]}.
std::string enrichment_json(const Enrichment& enrichment, std::string_view posted_at);

//! The files array alone: [{"file_name",…,"sha1",…,"verdict":{…}}].
std::string files_json(const Enrichment& enrichment);

//! The primary hashes as a JSON array, in file order.
std::string hashes_json(const Enrichment& enrichment);

}  // namespace sb::defender
