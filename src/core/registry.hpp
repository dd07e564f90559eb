// A registry of components of one kind (sources, outputs, providers): the entries in registration order, found by
// name. The choice lists of the configuration, the CLI checks and the error texts are all read from it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace sb::core {

//! "a, b, c".
std::string join_names(const std::vector<std::string>& names);

//! `Entry` is a struct with a `name` member (std::string_view).
template <typename Entry>
class Registry {
 public:
  explicit Registry(std::vector<const Entry*> entries) : entries_(std::move(entries)) {}

  std::span<const Entry* const> entries() const { return entries_; }

  const Entry* find(std::string_view name) const {
    for (const auto* entry : entries_) {
      if (entry->name == name) return entry;
    }
    return nullptr;
  }

  //! The names of the entries `keep` accepts, in registration order.
  template <typename Keep>
  std::vector<std::string> names_where(Keep keep) const {
    std::vector<std::string> names;
    for (const auto* entry : entries_) {
      if (keep(*entry)) names.emplace_back(entry->name);
    }
    return names;
  }
  std::vector<std::string> names() const {
    return names_where([](const Entry&) { return true; });
  }

 private:
  std::vector<const Entry*> entries_;
};

}  // namespace sb::core

//! Defines `const core::Registry<Entry>& function()` over the components the X-macro `list` names: each NAME in it
//! stands for `const Entry& NAME_entry()`, defined in that component's own file. Used once per kind, in its
//! registry.cpp, so that registering a component is one line of `list`.
#define SB_DEFINE_REGISTRY(Entry, function, list)                                 \
  using RegistryEntry = Entry;                                                    \
  list(SB_REGISTRY_DECLARE_ENTRY) const ::sb::core::Registry<Entry>& function() { \
    static const ::sb::core::Registry<Entry> registry({list(SB_REGISTRY_ENTRY)}); \
    return registry;                                                              \
  }
#define SB_REGISTRY_DECLARE_ENTRY(name) const RegistryEntry& name##_entry();
#define SB_REGISTRY_ENTRY(name) &name##_entry(),
