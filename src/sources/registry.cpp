// Every source, one line each. Adding a source: its file (the class and `const SourceEntry& NAME_entry()`, as in
// stdin_source.cpp) and one line here; its keys, its choice in <pipeline>.source, the CLI's --source and doctor follow.
#include "sources/source_entry.hpp"

#define SB_SOURCES(X) \
  X(folder_source)    \
  X(stdin_source)     \
  X(files_source)     \
  X(event_hubs_source)

namespace sb::sources {

SB_DEFINE_REGISTRY(SourceEntry, source_registry, SB_SOURCES)

std::vector<std::string> source_names(std::string_view pipeline) {
  return source_registry().names_where([&](const SourceEntry& entry) { return serves(entry, pipeline); });
}

}  // namespace sb::sources
