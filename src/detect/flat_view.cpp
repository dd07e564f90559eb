// Flat-view rebuild: route each flat key to its column and path, keeping first-appearance order, so the
// result equals the nested view's value for the same report.
#include "detect/flat_view.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_writer.hpp"
#include "detect/verdict_facts.hpp"

namespace sb::detect {
namespace {

using std::string_view;

//! An ordered JSON tree: objects keep insertion order, arrays are keyed by index (flat keys may skip some).
struct Node {
  enum class Kind { kRaw, kObject, kArray };
  Kind kind = Kind::kObject;
  std::string raw;
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> members;
  std::map<int64_t, std::unique_ptr<Node>> elements;

  // A node keeps the kind it was created with and nodes are never freed during a rebuild: when flat keys
  // conflict (classification_scan_results as a value *and* as a prefix), the first one wins and the
  // builder's pointers into the tree stay valid. write() prints only what matches a node's kind.
  Node& member(string_view name, Kind child_kind) {
    for (auto& [key, child] : members) {
      if (key == name) return *child;
    }
    members.emplace_back(std::string(name), std::make_unique<Node>(Node{child_kind, {}, {}, {}}));
    return *members.back().second;
  }

  Node& element(int64_t index, Kind child_kind) {
    auto& slot = elements[index];
    if (!slot) slot = std::make_unique<Node>(Node{child_kind, {}, {}, {}});
    return *slot;
  }

  void set_member(string_view name, std::string json) {
    Node& child = member(name, Kind::kRaw);
    if (child.kind == Kind::kRaw && child.raw.empty()) child.raw = std::move(json);
  }

  //! A column root starts empty; the first key decides whether it is a whole value or an array.
  bool claim(Kind wanted) {
    if (kind == Kind::kObject && members.empty() && raw.empty()) kind = wanted;
    return kind == wanted;
  }

  void write(std::string& out) const {
    switch (kind) {
      case Kind::kRaw: out += raw; return;
      case Kind::kObject: {
        out += '{';
        bool first = true;
        for (const auto& [key, child] : members) {
          if (!first) out += ',';
          first = false;
          core::append_json_string(out, key);
          out += ':';
          child->write(out);
        }
        out += '}';
        return;
      }
      case Kind::kArray: {
        out += '[';
        bool first = true;
        for (const auto& [index, child] : elements) {
          if (!first) out += ',';
          first = false;
          child->write(out);
        }
        out += ']';
        return;
      }
    }
  }

  bool empty() const { return kind != Kind::kRaw && members.empty() && elements.empty(); }
};

//! Compact JSON text of a flat value. Flat values are nearly all scalars: writing them directly avoids a
//! serializer object and a second buffer per value; containers (tags arrays) go through simdjson.
std::string value_json(simdjson::dom::element value) {
  std::string out;
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      core::append_json_string(out, value.get_string().value_unsafe());
      return out;
    case simdjson::dom::element_type::INT64: core::append_json_int(out, value.get_int64().value_unsafe()); return out;
    case simdjson::dom::element_type::BOOL: out = value.get_bool().value_unsafe() ? "true" : "false"; return out;
    case simdjson::dom::element_type::NULL_VALUE: out = "null"; return out;
    default: return simdjson::to_string(value);  // uint64 and doubles keep simdjson's exact number formatting
  }
}

bool consume_prefix(string_view& key, string_view prefix) {
  if (key.substr(0, prefix.size()) != prefix) return false;
  key.remove_prefix(prefix.size());
  return true;
}

//! Splits "<n>_<rest>" into n and rest; "<n>" alone gives an empty rest.
std::optional<std::pair<int64_t, string_view>> split_index(string_view key) {
  int64_t index = 0;
  const auto res = std::from_chars(key.data(), key.data() + key.size(), index);
  if (res.ec != std::errc() || res.ptr == key.data()) return std::nullopt;
  const auto used = static_cast<size_t>(res.ptr - key.data());
  if (used == key.size()) return std::make_pair(index, string_view{});
  if (key[used] != '_') return std::nullopt;
  return std::make_pair(index, key.substr(used + 1));
}

//! Scan-result fields, longest first so "rca_factor" wins over "factor".
constexpr std::array<string_view, 9> kScanResultFields = {
    "classification", "rca_factor", "propagated", "version", "ignored", "factor", "result", "type", "name"};

std::pair<string_view, string_view> split_scan_result_key(string_view rest) {
  for (const auto field : kScanResultFields) {
    if (rest.size() > field.size() + 1 && rest.substr(rest.size() - field.size()) == field &&
        rest[rest.size() - field.size() - 1] == '_') {
      return {rest.substr(0, rest.size() - field.size() - 1), field};
    }
  }
  const auto cut = rest.rfind('_');
  if (cut == string_view::npos || cut == 0) return {rest, "value"};
  return {rest.substr(0, cut), rest.substr(cut + 1)};
}

class FlatBuilder {
 public:
  explicit FlatBuilder(RowFacts& facts) : facts_(facts) {}

  void add(string_view key, simdjson::dom::element value) {
    string_view rest = key;
    // Dispatch on the first letter: a flat entry has hundreds of keys, most of them in no column.
    switch (key.empty() ? '\0' : key.front()) {
      case 't':
        if (key == "tags") {
          if (tags_.claim(Node::Kind::kRaw)) tags_.raw = value_json(value);
        } else if (consume_prefix(rest, "tags_")) {
          add_indexed(tags_, rest, value);
        }
        return;
      case 's':
        if (key == "story") {
          if (story_.claim(Node::Kind::kRaw)) story_.raw = value_json(value);
        } else if (consume_prefix(rest, "story_")) {
          add_indexed(story_, rest, value);
        }
        return;
      case 'i':
        if (consume_prefix(rest, "info_")) {
          add_info(rest, value);
        } else if (key == "interesting_strings") {
          if (strings_.claim(Node::Kind::kRaw)) strings_.raw = value_json(value);
        } else if (consume_prefix(rest, "interesting_strings_")) {
          add_interesting_string(rest, value);
        } else if (key == "index") {
          index_ = value;
        }
        return;
      case 'c':
        if (consume_prefix(rest, "classification_")) add_classification(rest, value);
        return;
      case 'p':
        if (key == "parent") parent_ = value;
        return;
      default: return;  // indicators_*, metadata_*, …: no column
    }
  }

  FlatColumns finish() {
    insert_scan_result_names();
    FlatColumns out;
    if (!info_.empty()) info_.write(out.info);
    if (!classification_.empty()) classification_.write(out.classification);
    if (!story_.empty()) story_.write(out.story);
    if (!tags_.empty()) tags_.write(out.tags);
    if (!strings_.empty()) strings_.write(out.interesting_strings);
    if (facts_.threat_name.empty()) facts_.threat_name = std::move(first_scan_result_);
    out.index = index_;
    out.parent = parent_;
    return out;
  }

 private:
  //! "<n>" → array[n] = value; "<n>_<field>" → array[n].field = value.
  static void add_indexed(Node& array, string_view rest, simdjson::dom::element value) {
    if (!array.claim(Node::Kind::kArray)) return;
    const auto split = split_index(rest);
    if (!split) return;
    const auto [index, field] = *split;
    if (field.empty()) {
      array.element(index, Node::Kind::kRaw).raw = value_json(value);
    } else {
      array.element(index, Node::Kind::kObject).set_member(field, value_json(value));
    }
  }

  void add_interesting_string(string_view rest, simdjson::dom::element value) {
    if (!strings_.claim(Node::Kind::kArray)) return;
    const auto split = split_index(rest);
    if (!split || split->second.empty()) return;
    auto& entry = strings_.element(split->first, Node::Kind::kObject);
    string_view field = split->second;
    if (consume_prefix(field, "values_")) {
      if (const auto value_index = split_index(field); value_index && value_index->second.empty()) {
        entry.member("values", Node::Kind::kArray).element(value_index->first, Node::Kind::kRaw).raw =
            value_json(value);
        return;
      }
    }
    entry.set_member(split->second, value_json(value));
  }

  void add_info(string_view rest, simdjson::dom::element value) {
    string_view field = rest;
    if (!consume_prefix(field, "file_")) {
      info_.set_member(rest, value_json(value));
      return;
    }
    auto& file = info_.member("file", Node::Kind::kObject);
    string_view hash_name = field;
    if (consume_prefix(hash_name, "hashes_")) {
      auto& hashes = file.member("hashes", Node::Kind::kArray);
      // Two spellings: keyed by hash name (info_file_hashes_sha1) or indexed (info_file_hashes_0_value).
      if (const auto indexed = split_index(hash_name); indexed && !indexed->second.empty()) {
        auto& hash = hashes.element(indexed->first, Node::Kind::kObject);
        hash.set_member(indexed->second, value_json(value));
        note_indexed_hash(indexed->first, indexed->second, value);
        return;
      }
      auto& hash = hashes.element(static_cast<int64_t>(hashes.elements.size()), Node::Kind::kObject);
      std::string name_json;
      core::append_json_string(name_json, hash_name);
      hash.set_member("name", std::move(name_json));
      hash.set_member("value", value_json(value));
      note_hash(facts_, hash_name, value);
      return;
    }
    if (field == "file_name") facts_.file_name = string_or_empty(value);
    if (field == "file_type") facts_.file_type = string_or_empty(value);
    file.set_member(field, value_json(value));
  }

  //! An indexed hash is complete once both its name and value were seen, in either order. The elements
  //! point into the parsed report, so nothing is parsed twice.
  void note_indexed_hash(int64_t index, string_view field, simdjson::dom::element value) {
    auto& pair = indexed_hashes_[index];
    if (field == "name") {
      pair.first = value;
    } else if (field == "value") {
      pair.second = value;
    } else {
      return;
    }
    std::string_view name;
    if (pair.first && pair.second && pair.first->get_string().get(name) == simdjson::SUCCESS) {
      note_hash(facts_, name, *pair.second);
    }
  }

  void add_classification(string_view rest, simdjson::dom::element value) {
    string_view field = rest;
    if (consume_prefix(field, "scan_results_")) {
      const auto [name, scan_field] = split_scan_result_key(field);
      auto& result = scan_result(name);
      result.set_member(scan_field, value_json(value));
      if (scan_field == "result" && &result == first_scan_result_node_) first_scan_result_ = string_or_empty(value);
      return;
    }
    if (consume_prefix(field, "propagation_source_")) {
      classification_.member("propagation_source", Node::Kind::kObject).set_member(field, value_json(value));
      return;
    }
    if (rest == "classification") facts_.verdict = integer_or_null(value);
    if (rest == "result") facts_.threat_name = string_or_empty(value);
    classification_.set_member(rest, value_json(value));
  }

  Node& scan_result(string_view name) {
    // Flat keys of one scan result are adjacent: remembering the last one skips nearly every lookup.
    if (last_scan_result_ != nullptr && name == last_scan_result_name_) return *last_scan_result_;
    if (scan_results_ == nullptr) scan_results_ = &classification_.member("scan_results", Node::Kind::kArray);
    auto& results = *scan_results_;
    if (const auto it = scan_result_index_.find(name); it != scan_result_index_.end()) {
      last_scan_result_ = results.elements.at(it->second).get();
      last_scan_result_name_ = name;
      return *last_scan_result_;
    }
    const auto index = static_cast<int64_t>(results.elements.size());
    scan_result_index_.emplace(std::string(name), index);
    auto& node = results.element(index, Node::Kind::kObject);
    scan_result_names_.emplace_back(&node, std::string(name));
    if (index == 0) first_scan_result_node_ = &node;
    last_scan_result_ = &node;
    last_scan_result_name_ = name;
    return node;
  }

  //! The name lives in the flat key, not in a field; nested reports list fields alphabetically, so it
  //! goes before the first field that sorts after "name".
  void insert_scan_result_names() {
    for (auto& [node, name] : scan_result_names_) {
      auto& members = node->members;
      const bool has_name =
          std::any_of(members.begin(), members.end(), [](const auto& m) { return m.first == "name"; });
      if (has_name) continue;
      std::string name_json;
      core::append_json_string(name_json, name);
      const auto position =
          std::find_if(members.begin(), members.end(), [](const auto& m) { return m.first > "name"; });
      members.emplace(position, "name", std::make_unique<Node>(Node{Node::Kind::kRaw, std::move(name_json), {}, {}}));
    }
  }

  RowFacts& facts_;
  Node info_;
  Node classification_;
  Node story_;
  Node tags_;
  Node strings_;
  std::map<std::string, int64_t, std::less<>> scan_result_index_;
  std::map<int64_t, std::pair<std::optional<simdjson::dom::element>, std::optional<simdjson::dom::element>>>
      indexed_hashes_;
  std::vector<std::pair<Node*, std::string>> scan_result_names_;
  Node* scan_results_ = nullptr;
  Node* last_scan_result_ = nullptr;
  string_view last_scan_result_name_;  // points into the parsed document, alive for the whole rebuild
  const Node* first_scan_result_node_ = nullptr;
  std::string first_scan_result_;
  std::optional<simdjson::dom::element> index_;
  std::optional<simdjson::dom::element> parent_;
};

}  // namespace

bool is_flat_entry(simdjson::dom::object entry) {
  // The first decisive key settles it: reports list keys alphabetically, so "classification" and "info"
  // come before their prefixed forms in a nested entry.
  for (const auto field : entry) {
    const string_view key = field.key;
    if (key == "info" || key == "classification") return false;
    if (key.starts_with("info_") || key.starts_with("classification_") || key.starts_with("story_")) return true;
  }
  return false;
}

FlatColumns rebuild_flat_entry(simdjson::dom::object entry, RowFacts& facts) {
  FlatBuilder builder(facts);
  for (const auto field : entry) builder.add(field.key, field.value);
  return builder.finish();
}

}  // namespace sb::detect
