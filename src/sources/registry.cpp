// Every source, one line each. Adding a source: its file (the class and `const SourceEntry& NAME_entry()`, as in
// stdin_source.cpp) and one line here; its keys, its choice in <pipeline>.source, the CLI's --source and doctor follow.
#include "sources/source_entry.hpp"

#define SB_SOURCES(X) \
  X(folder_source)    \
  X(stdin_source)     \
  X(files_source)

namespace sb::sources {

#define SB_DECLARE_ENTRY(name) const SourceEntry& name##_entry();
SB_SOURCES(SB_DECLARE_ENTRY)
#undef SB_DECLARE_ENTRY

const core::Registry<SourceEntry>& source_registry() {
#define SB_ENTRY(name) &name##_entry(),
  static const core::Registry<SourceEntry> registry({SB_SOURCES(SB_ENTRY)});
#undef SB_ENTRY
  return registry;
}

}  // namespace sb::sources
