// Every source, one line each. Adding a source: its file (the class and `const SourceEntry& NAME_entry()`, as in
// stdin_source.cpp) and one line here; its keys, its choice in <pipeline>.source, the CLI's --source and doctor follow.
#include "sources/source_entry.hpp"

#define SB_SOURCES(X) \
  X(folder_source)    \
  X(stdin_source)     \
  X(files_source)

namespace sb::sources {

SB_DEFINE_REGISTRY(SourceEntry, source_registry, SB_SOURCES)

}  // namespace sb::sources
