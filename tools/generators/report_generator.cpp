// Synthetic Spectra Detect task reports: a file tree per task with real digests, rendered nested or flat.
#include "tools/generators/report_generator.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/hash.hpp"
#include "core/json_writer.hpp"
#include "core/prng.hpp"
#include "tools/generators/json_tree.hpp"
#include "tools/generators/report_catalogues.hpp"

namespace sb::tools {
namespace {

using namespace std::string_view_literals;
using namespace report_gen;
using core::Prng;

// ---------------------------------------------------------------------------------------------
// Tunables.

constexpr double kCoinFlip = 0.5;
constexpr double kPercent = 100.0;
constexpr uint64_t kSizeBase = 200;
constexpr int kMinSizeOctave = 0;
constexpr size_t kChunk = 64;
constexpr size_t kFileTokenBytes = 16;

constexpr double kPoolGoodwareShare = 0.62;
constexpr double kPoolUnknownShare = 0.18;
constexpr double kPoolSuspiciousShare = 0.11;
constexpr double kCleanGoodwareShare = 0.78;
constexpr double kMaliciousReportShare = 0.25;
constexpr double kSuspiciousReportShare = 0.40;
constexpr double kMaliciousLeafMin = 0.15;
constexpr double kMaliciousLeafMax = 0.45;
constexpr double kSuspiciousLeafMin = 0.10;
constexpr double kSuspiciousLeafMax = 0.40;
constexpr double kPoolLeafShare = 0.45;
constexpr double kPoolRootShare = 0.35;
constexpr int kPoolDrawAttempts = 256;
constexpr double kNestedContainerShare = 0.10;
constexpr int kMaxNestedChildren = 8;
constexpr int kMaxContainerDepth = 1;
constexpr double kMinPackRatio = 0.35;  // compressed container size / size of what it holds
constexpr double kMaxPackRatio = 0.9;   // containers at depth <= 1, so files nest two levels deep

constexpr double kGraylistingShare = 0.7;
constexpr int kMaxTrustFactor = 5;
constexpr int kRiskOffset = 5;  // rca_factor = 5 + threat level for malware
constexpr int kSuspiciousMaxLevel = 3;
constexpr int kMaliciousMinLevel = 2;
constexpr int kMaxThreatLevel = 5;
constexpr int kMinEngines = 10;
constexpr int kMaxEngines = 30;
constexpr double kMaliciousDetectMin = 0.35;
constexpr double kMaliciousDetectMax = 0.90;
constexpr double kSuspiciousDetectMin = 0.03;
constexpr double kSuspiciousDetectMax = 0.30;
constexpr double kPropagatedDetectScale = 0.6;
constexpr double kFalsePositiveShare = 0.005;
constexpr double kNextGenShare = 0.35;
constexpr int kMinIndicators = 3;
constexpr int kMaxIndicators = 15;
constexpr int kMaxReasons = 6;
constexpr double kPropagatedReasonShare = 0.2;
constexpr int kMaxStringCategories = 4;
constexpr int kMaxStringValues = 8;
constexpr double kHighEntropy = 7.2;
constexpr double kFamilyNameShare = 0.6;
constexpr double kBadHostShare = 0.7;
constexpr double kBadPathShare = 0.6;
constexpr double kLoopbackShare = 0.3;
constexpr double kGuiShare = 0.7;
constexpr double kCapabilityTagShare = 0.4;
constexpr int kCapabilityBits = 23;

constexpr int64_t kEpoch2024 = 1704067200;         // 2024-01-01T00:00:00Z
constexpr int64_t kSubmittedSpan = 900LL * 86400;  // about 2.5 years: stays inside 2024-2026
constexpr int64_t kMeanTaskGap = 45;               // seconds between consecutive tasks
constexpr int64_t kMaxProcessing = 600;
constexpr uint64_t kMinTaskBase = 1000;
constexpr uint64_t kTaskBaseSpan = 500000;
constexpr int kWorkerCount = 4;
constexpr int kSenderCount = 6;
constexpr double kOldStyleShare = 0.10;
constexpr double kStringNumbersShare = 0.03;
constexpr double kCustomDataShare = 0.25;
constexpr double kForwardedShare = 0.30;
constexpr double kScratchPathShare = 0.35;

// Stream ids for derive_seed: every independent random sequence has its own.
enum class Stream : uint64_t {
  kPoolSpec = 1,
  kPoolBytes,
  kPoolContent,
  kReport,
  kFileBytes,
  kFileContent,
  kSite,
};

uint64_t derive(uint64_t seed, Stream stream, uint64_t index) {
  return core::derive_seed(seed, static_cast<uint64_t>(stream), index);
}

// ---------------------------------------------------------------------------------------------
// Small random helpers.

template <typename T, size_t N>
T pick(Prng& rng, const std::array<T, N>& items) {
  return rng.pick(items);
}

std::string_view pick(Prng& rng, std::span<const std::string_view> items) {
  return rng.pick(items);
}

int uniform_int(Prng& rng, int lo, int hi) {
  return static_cast<int>(rng.uniform(lo, hi));
}

//! The larger of two uniform draws: skews toward `hi`, as real reports are mostly on the rich side.
int uniform_high(Prng& rng, int lo, int hi) {
  const int first = uniform_int(rng, lo, hi);
  return std::max(first, uniform_int(rng, lo, hi));
}

std::string random_chars(Prng& rng, std::string_view alphabet, int count) {
  std::string out;
  out.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    out.push_back(alphabet[static_cast<size_t>(rng.uniform_u64(0, alphabet.size() - 1))]);
  }
  return out;
}

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kLowerHex = "0123456789abcdef";
constexpr std::string_view kUpperHex = "0123456789ABCDEF";
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";

std::string random_uuid(Prng& rng) {
  constexpr std::array kGroups = {8, 4, 4, 4, 12};
  std::string out;
  for (size_t i = 0; i < kGroups.size(); ++i) {
    if (i > 0) out.push_back('-');
    out += random_chars(rng, kLowerHex, kGroups[i]);
  }
  return out;
}

std::string ipv4(int a, int b, int c, int d) {
  return std::to_string(a) + '.' + std::to_string(b) + '.' + std::to_string(c) + '.' + std::to_string(d);
}

constexpr int kOctetMax = 254;
constexpr int kOctets = 256;
std::string random_public_ip(Prng& rng) {
  constexpr std::array kFirstOctets = {23, 45, 77, 91, 103, 141, 176, 185, 193, 212};
  // One draw per statement: the evaluation order of function arguments differs between compilers.
  const int a = pick(rng, kFirstOctets);
  const int b = uniform_int(rng, 1, kOctetMax);
  const int c = uniform_int(rng, 1, kOctetMax);
  const int d = uniform_int(rng, 1, kOctetMax);
  return ipv4(a, b, c, d);
}

//! Log-uniform across octaves, uniform within one; integer-only so sizes match on every platform.
uint64_t draw_size(Prng& rng, const FileKind& kind) {
  const auto octave = static_cast<int>(rng.uniform(kMinSizeOctave, kind.max_size_octave));
  const uint64_t low = kSizeBase << octave;
  return low + rng.uniform_u64(0, low - 1);
}

// ---------------------------------------------------------------------------------------------
// File content and digests.

void write_random(Prng& rng, char* out, size_t count) {
  constexpr size_t kWordBytes = 8;
  constexpr int kByteBits = 8;
  size_t pos = 0;
  while (pos < count) {
    uint64_t word = rng.next_u64();
    for (size_t b = 0; b < kWordBytes && pos < count; ++b, ++pos) {
      out[pos] = static_cast<char>(word & 0xffU);
      word >>= kByteBits;
    }
  }
}

//! Deterministic bytes for a file: the kind's magic, a per-file token (so two small files never
//! collide), then chunks that are incompressible or patterned in the kind's proportion, which
//! gives each kind a plausible entropy.
std::string make_bytes(const FileKind& kind, uint64_t size, uint64_t bytes_seed) {
  // x86 prologue/epilogue bytes: the low-entropy filler of code sections.
  constexpr std::string_view kCodePattern =
      "\x55\x8b\xec\x83\xec\x10\x53\x56\x57\x8b\x7d\x08\x33\xc0\x5f\x5e\x5b\x8b\xe5\x5d\xc3\xcc\xcc\xcc"sv;
  Prng rng(bytes_seed);
  std::string out(size, '\0');
  size_t pos = 0;
  auto append = [&](std::string_view piece) {
    const size_t count = std::min(piece.size(), out.size() - pos);
    std::copy_n(piece.data(), count, out.data() + pos);
    pos += count;
  };
  append(kind.magic);
  if (kind.body == Body::kText) {
    constexpr int kHexDigitsPerByte = 2;
    append(random_chars(rng, kLowerHex, static_cast<int>(kFileTokenBytes) * kHexDigitsPerByte));
    append("\n");
  } else {
    const size_t count = std::min(kFileTokenBytes, out.size() - pos);
    write_random(rng, out.data() + pos, count);
    pos += count;
  }
  const double random_share = kind.random_percent / kPercent;
  while (pos < out.size()) {
    if (rng.chance(random_share)) {
      const size_t count = std::min(kChunk, out.size() - pos);
      write_random(rng, out.data() + pos, count);
      pos += count;
    } else if (kind.body == Body::kText) {
      append(pick(rng, kind.lines));
      append("\n");
    } else if (rng.chance(kCoinFlip)) {
      pos += std::min(kChunk, out.size() - pos);  // zero padding: the buffer starts zeroed
    } else {
      append(kCodePattern);
    }
  }
  return out;
}

//! Shannon entropy in bits per byte, rounded to 9 decimals: libm's log2 may differ in the last
//! bit between platforms, and the rounding keeps the report bytes identical everywhere.
double shannon_entropy(std::string_view bytes) {
  constexpr double kEntropyScale = 1e9;
  constexpr size_t kByteValues = 256;
  if (bytes.empty()) return 0.0;
  std::array<uint64_t, kByteValues> counts{};
  for (const char c : bytes) ++counts[static_cast<unsigned char>(c)];
  const auto total = static_cast<double>(bytes.size());
  double entropy = 0.0;
  for (const uint64_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / total;
    entropy -= p * std::log2(p);
  }
  return std::round(entropy * kEntropyScale) / kEntropyScale;
}

// ---------------------------------------------------------------------------------------------
// File specs: what a file is, before its bytes exist.

// Spectra Core classification values; plain ints because they are written to JSON as such.
constexpr int kUnknown = 0;
constexpr int kGoodware = 1;
constexpr int kSuspicious = 2;
constexpr int kMalicious = 3;

struct FileSpec {
  KindId kind = KindId::kData;
  int classification = kUnknown;
  std::string threat;  // empty unless suspicious or malicious
  std::string file_name;
  uint64_t size = 0;
  uint64_t bytes_seed = 0;
  uint64_t content_seed = 0;  // drives scan results, indicators, strings: same file, same findings
  bool pooled = false;        // seeds come from the pool, not from the report
};

std::string draw_threat(Prng& rng, const FileKind& kind, int classification) {
  if (classification < kSuspicious || kind.threat_platform.empty()) return {};
  const std::span<const std::string_view> names = classification == kMalicious
                                                      ? std::span<const std::string_view>(kMaliciousThreats)
                                                      : std::span<const std::string_view>(kSuspiciousThreats);
  std::vector<std::string_view> matching;
  for (const auto name : names) {
    if (name.size() > kind.threat_platform.size() && name.starts_with(kind.threat_platform) &&
        name[kind.threat_platform.size()] == '.') {
      matching.push_back(name);
    }
  }
  assert(!matching.empty() && "every platform that can carry a threat has names in both lists");
  return std::string(matching[static_cast<size_t>(rng.uniform_u64(0, matching.size() - 1))]);
}

std::string draw_name(Prng& rng, const FileKind& kind) {
  constexpr double kNumberedShare = 0.4;
  constexpr int kMaxNameNumber = 9999;
  std::string name(pick(rng, kind.names));
  if (rng.chance(kNumberedShare)) name += "_" + std::to_string(uniform_int(rng, 1, kMaxNameNumber));
  name += kind.extension;
  return name;
}

KindId draw_leaf_kind(Prng& rng, int classification) {
  return classification >= kSuspicious ? pick(rng, kMalwareLeafKinds) : pick(rng, kCleanLeafKinds);
}

int draw_pool_classification(Prng& rng) {
  const double r = rng.unit_double();
  if (r < kPoolGoodwareShare) return kGoodware;
  if (r < kPoolGoodwareShare + kPoolUnknownShare) return kUnknown;
  if (r < kPoolGoodwareShare + kPoolUnknownShare + kPoolSuspiciousShare) return kSuspicious;
  return kMalicious;
}

FileSpec make_spec(Prng& rng, KindId kind, int classification) {
  FileSpec spec;
  spec.kind = kind;
  spec.classification = classification;
  spec.threat = draw_threat(rng, kind_of(kind), classification);
  spec.file_name = draw_name(rng, kind_of(kind));
  spec.size = draw_size(rng, kind_of(kind));
  return spec;
}

FileSpec pool_spec(uint64_t seed, uint64_t k) {
  Prng rng(derive(seed, Stream::kPoolSpec, k));
  const int classification = draw_pool_classification(rng);
  FileSpec spec = make_spec(rng, draw_leaf_kind(rng, classification), classification);
  spec.bytes_seed = derive(seed, Stream::kPoolBytes, k);
  spec.content_seed = derive(seed, Stream::kPoolContent, k);
  spec.pooled = true;
  return spec;
}

// ---------------------------------------------------------------------------------------------
// The file tree of one report.

struct Verdict {
  int classification = kUnknown;
  int factor = 0;
  int rca_factor = 0;
  std::string result;
};

struct FileNode {
  FileSpec spec;
  std::string file_name;
  std::string file_path;
  int index = 0;
  int parent = -1;  // -1 on the root
  int depth = 0;
  int direct_children = 0;
  bool contains_pe = false;
  core::FileDigests digests;
  double entropy = 0.0;
  Verdict own;
  Verdict final;
  bool propagated = false;
  std::string propagation_sha1;
  bool graylisted = false;
  Prng content_rng{0};  // positioned after the verdict draws; entry sections continue from here
};

struct Profile {
  double malicious_rate = 0.0;
  double suspicious_rate = 0.0;
};

class TreeBuilder {
 public:
  TreeBuilder(uint64_t seed, uint64_t report_seed, Prng& rng, Profile profile)
      : seed_(seed), report_seed_(report_seed), rng_(rng), profile_(profile) {}

  std::vector<FileNode> build(int children) {
    FileNode root;
    if (children > 0) {
      root.spec = container_spec(kRootContainerKinds);
    } else if (rng_.chance(kPoolRootShare)) {
      root.spec = pool_pick(leaf_classification());
    } else {
      const int classification = leaf_classification();
      const KindId kind =
          classification >= kSuspicious ? draw_leaf_kind(rng_, classification) : pick(rng_, kRootLeafKinds);
      root.spec = make_spec(rng_, kind, classification);
    }
    root.file_name = root.spec.file_name;
    root.file_path =
        rng_.chance(kScratchPathShare) ? "/scratch/" + random_uuid(rng_) + "/" + root.file_name : root.file_name;
    add_node(std::move(root));
    add_children(0, children);
    size_containers();
    return std::move(nodes_);
  }

 private:
  int clean_classification() { return rng_.chance(kCleanGoodwareShare) ? kGoodware : kUnknown; }

  //! Containers are clean themselves; a bad verdict reaches them only by propagation.
  template <size_t N>
  FileSpec container_spec(const std::array<KindId, N>& kinds) {
    // Separate statements: the evaluation order of function arguments differs between compilers.
    const KindId kind = pick(rng_, kinds);
    return make_spec(rng_, kind, clean_classification());
  }

  int leaf_classification() {
    const double r = rng_.unit_double();
    if (r < profile_.malicious_rate) return kMalicious;
    if (r < profile_.malicious_rate + profile_.suspicious_rate) return kSuspicious;
    return clean_classification();
  }

  //! A pool file of the wanted classification; a report-unique file if none turns up.
  FileSpec pool_pick(int classification) {
    for (int attempt = 0; attempt < kPoolDrawAttempts; ++attempt) {
      FileSpec spec = pool_spec(seed_, rng_.uniform_u64(0, kPoolSize - 1));
      if (spec.classification == classification) return spec;
    }
    return make_spec(rng_, draw_leaf_kind(rng_, classification), classification);
  }

  void add_node(FileNode node) {
    node.index = static_cast<int>(nodes_.size());
    if (!node.spec.pooled) {
      node.spec.bytes_seed = derive(report_seed_, Stream::kFileBytes, static_cast<uint64_t>(node.index));
      node.spec.content_seed = derive(report_seed_, Stream::kFileContent, static_cast<uint64_t>(node.index));
    }
    nodes_.push_back(std::move(node));
  }

  //! Appends `budget` descendants of `parent` depth-first, so every parent precedes its children.
  void add_children(int parent, int budget) {
    const int depth = nodes_[static_cast<size_t>(parent)].depth + 1;
    while (budget > 0) {
      const bool container = depth <= kMaxContainerDepth && budget >= 2 && rng_.chance(kNestedContainerShare);
      FileNode node;
      if (container) {
        node.spec = container_spec(kNestedContainerKinds);
      } else {
        const int classification = leaf_classification();
        node.spec = rng_.chance(kPoolLeafShare) ? pool_pick(classification)
                                                : make_spec(rng_, draw_leaf_kind(rng_, classification), classification);
      }
      place(node, parent, depth);
      const int index = static_cast<int>(nodes_.size());
      add_node(std::move(node));
      --budget;
      if (container) {
        const int sub = uniform_int(rng_, 1, std::min(budget, kMaxNestedChildren));
        add_children(index, sub);
        budget -= sub;
      }
    }
  }

  //! Name and path of a child, following how Spectra Core lays out what it extracts.
  void place(FileNode& node, int parent, int depth) {
    FileNode& up = nodes_[static_cast<size_t>(parent)];
    node.parent = parent;
    node.depth = depth;
    const int ordinal = up.direct_children++;
    if (is_pe(node.spec.kind)) up.contains_pe = true;
    switch (kind_of(up.spec.kind).layout) {
      case Layout::kBinaryLayer:
        node.file_name = std::to_string(ordinal == 0 ? 0 : ordinal - 1);
        node.file_path =
            up.file_path + (ordinal == 0 ? "/binary_layer/overlay/" : "/binary_layer/resource/") + node.file_name;
        return;
      case Layout::kEmail:
        node.file_name = node.spec.file_name;
        node.file_path = up.file_path + "/email/attachments/" + node.file_name;
        return;
      case Layout::kArchive:
      case Layout::kLeaf:
        node.file_name = node.spec.file_name;
        node.file_path = up.file_path + "/archive/" + node.file_name;
        return;
    }
  }

  //! A container holds its extracted files, compressed: children come after their parent, so a
  //! backwards pass sizes nested containers before the containers that hold them.
  void size_containers() {
    std::vector<uint64_t> content(nodes_.size(), 0);
    for (size_t i = nodes_.size(); i-- > 0;) {
      FileNode& node = nodes_[i];
      if (node.direct_children > 0) {
        const double ratio = rng_.uniform_double(kMinPackRatio, kMaxPackRatio);
        const auto packed = static_cast<uint64_t>(static_cast<double>(content[i]) * ratio);
        node.spec.size = std::max(node.spec.size, packed);
      }
      if (node.parent >= 0) content[static_cast<size_t>(node.parent)] += node.spec.size;
    }
  }

  uint64_t seed_;
  uint64_t report_seed_;
  Prng& rng_;
  Profile profile_;
  std::vector<FileNode> nodes_;
};

Verdict own_verdict(Prng& rng, const FileNode& node) {
  Verdict verdict;
  verdict.classification = node.spec.classification;
  switch (node.spec.classification) {
    case kGoodware:
      verdict.factor = uniform_int(rng, 0, kMaxTrustFactor);
      verdict.rca_factor = verdict.factor;
      break;
    case kSuspicious:
      verdict.factor = uniform_int(rng, 1, kSuspiciousMaxLevel);
      verdict.rca_factor = kRiskOffset + verdict.factor;
      verdict.result = node.spec.threat;
      break;
    case kMalicious:
      verdict.factor = uniform_int(rng, kMaliciousMinLevel, kMaxThreatLevel);
      verdict.rca_factor = kRiskOffset + verdict.factor;
      verdict.result = node.spec.threat;
      break;
    default: break;
  }
  return verdict;
}

//! Children sit after their parents, so one backwards pass carries the worst verdict of every
//! subtree up to its container, naming the file it came from.
void propagate(std::vector<FileNode>& nodes) {
  for (auto& node : nodes) node.final = node.own;
  for (size_t i = nodes.size(); i-- > 1;) {
    const FileNode& child = nodes[i];
    FileNode& parent = nodes[static_cast<size_t>(child.parent)];
    if (child.final.classification < kSuspicious) continue;
    if (child.final.classification <= parent.final.classification) continue;
    parent.final = child.final;
    parent.propagated = true;
    parent.propagation_sha1 = child.propagated ? child.propagation_sha1 : child.digests.sha1;
  }
}

// ---------------------------------------------------------------------------------------------
// Entry sections.

std::string_view classification_word(int classification) {
  switch (classification) {
    case kGoodware: return "goodware";
    case kSuspicious: return "suspicious";
    case kMalicious: return "malicious";
    default: return "unknown";
  }
}

struct ThreatParts {
  std::string platform;
  std::string type;
  std::string family;
};

ThreatParts split_threat(std::string_view threat) {
  const size_t first = threat.find('.');
  const size_t second = first == std::string_view::npos ? first : threat.find('.', first + 1);
  if (second == std::string_view::npos) return {"Win32", "Malware", "Generic"};
  return {std::string(threat.substr(0, first)), std::string(threat.substr(first + 1, second - first - 1)),
          std::string(threat.substr(second + 1))};
}

//! "Script-JS" → "JS": the short platform most vendors put in their names.
std::string short_platform(const std::string& platform) {
  const size_t dash = platform.find('-');
  return dash == std::string::npos ? platform : platform.substr(dash + 1);
}

std::string detection_name(Prng& rng, DetectionStyle style, const std::string& threat) {
  // Lengths of the variant suffixes and abbreviations each vendor uses in its names.
  constexpr int kShortNumber = 4;
  constexpr int kSignatureNumber = 6;
  constexpr int kClamNumber = 7;
  constexpr int kLongNumber = 8;
  constexpr int kVariantLetters = 2;
  constexpr int kSuffixLetters = 3;
  constexpr int kHashLength = 12;
  constexpr size_t kSophosPrefix = 4;
  constexpr size_t kAvastTag = 3;
  const ThreatParts parts = split_threat(threat);
  const std::string os = short_platform(parts.platform);
  switch (style) {
    case DetectionStyle::kDrweb:
      return parts.type + "." + parts.family + "." + random_chars(rng, kDigits, kShortNumber);
    case DetectionStyle::kKaspersky:
      return rng.chance(kCoinFlip)
                 ? "HEUR:" + parts.type + "." + os + "." + parts.family + ".gen"
                 : parts.type + "." + os + "." + parts.family + "." + random_chars(rng, kLower, kSuffixLetters);
    case DetectionStyle::kMicrosoft:
      return parts.type + ":" + os + "/" + parts.family + "." + random_chars(rng, kUpper, kSuffixLetters) + "!MTB";
    case DetectionStyle::kSophos:
      return parts.type.substr(0, kSophosPrefix) + "/" + parts.family + "-" + random_chars(rng, kUpper, kSuffixLetters);
    case DetectionStyle::kClamav:
      return (os.starts_with("Win") ? std::string("Win") : os) + "." + parts.type + "." + parts.family + "-" +
             random_chars(rng, kDigits, kClamNumber);
    case DetectionStyle::kEset: {
      const std::string variant = rng.chance(kCoinFlip) ? "a variant of " : "";
      return variant + os + "/" + parts.type + "." + parts.family + "." + random_chars(rng, kUpper, kVariantLetters);
    }
    case DetectionStyle::kBitdefender:
      return rng.chance(kCoinFlip) ? "Trojan.GenericKD." + random_chars(rng, kDigits, kLongNumber)
                                   : "Gen:Variant." + parts.family + "." + random_chars(rng, kDigits, kShortNumber);
    case DetectionStyle::kSymantec:
      return rng.chance(kFamilyNameShare) ? parts.type + "." + parts.family
                                          : std::string("ML.Attribute.HighConfidence");
    case DetectionStyle::kMcafee: {
      const std::string suffix = random_chars(rng, kUpper, kSuffixLetters);
      return parts.family + "-" + suffix + "!" + random_chars(rng, kUpperHex, kHashLength);
    }
    case DetectionStyle::kAhnlab:
      return parts.type + "/" + os + "." + parts.family + ".R" + random_chars(rng, kDigits, kSignatureNumber);
    case DetectionStyle::kAvast:
      return os + ":" + parts.family + "-" + random_chars(rng, kUpper, 1) + " [" + parts.type.substr(0, kAvastTag) +
             "]";
    case DetectionStyle::kMachineLearning: return std::string(pick(rng, kMachineLearningVerdicts));
    case DetectionStyle::kGeneric: break;
  }
  return rng.chance(kCoinFlip) ? threat
                               : parts.type + "." + os + "." + parts.family + "." + random_chars(rng, kUpper, 1);
}

Value scan_result(int classification, int factor, std::string_view name, int rca_factor, std::string_view result,
                  std::string_view type, std::string_view version) {
  return Value::object()
      .set("classification", classification)
      .set("factor", factor)
      .set("ignored", false)
      .set("name", name)
      .set("rca_factor", rca_factor)
      .set("result", result)
      .set("type", type)
      .set("version", version);
}

struct ClassificationSection {
  Value value = Value::object();
  int engines = 0;
  int detections = 0;
};

ClassificationSection build_classification(Prng& rng, const FileNode& node, std::string_view core_version) {
  const Verdict& verdict = node.final;
  constexpr std::string_view kRcaVersion = "2.91";
  constexpr std::string_view kNextGenVersion = "1.0";
  ClassificationSection section;
  Value scans = Value::array();
  const bool malware = verdict.classification >= kSuspicious;
  if (malware) {
    scans.push(scan_result(verdict.classification, verdict.factor, "Antivirus (based on the RCA Classify)",
                           verdict.rca_factor, verdict.result, "av", kRcaVersion));
  }
  scans.push(scan_result(verdict.classification, verdict.factor,
                         node.graylisted ? "TitaniumCore Graylisting" : "TitaniumCore RHA1", verdict.rca_factor,
                         verdict.result, "internal", core_version));

  double detect_rate = kFalsePositiveShare;
  if (verdict.classification == kMalicious) detect_rate = rng.uniform_double(kMaliciousDetectMin, kMaliciousDetectMax);
  if (verdict.classification == kSuspicious) {
    detect_rate = rng.uniform_double(kSuspiciousDetectMin, kSuspiciousDetectMax);
  }
  if (node.propagated) detect_rate *= kPropagatedDetectScale;
  // A clean file's rare false positive is a generic heuristic name.
  constexpr std::string_view kFalsePositiveThreat = "Win32.Malware.Generic";
  const std::string detected_as = malware ? verdict.result : std::string(kFalsePositiveThreat);

  // Partial Fisher-Yates: distinct engines, in a different order per file.
  std::array<size_t, kEngines.size()> order{};
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  section.engines = uniform_high(rng, kMinEngines, kMaxEngines);
  for (size_t i = 0; i < static_cast<size_t>(section.engines); ++i) {
    std::swap(order[i], order[static_cast<size_t>(rng.uniform_u64(i, order.size() - 1))]);
    const Engine& engine = kEngines[order[i]];
    std::string result;
    if (rng.chance(detect_rate)) {
      result = detection_name(rng, engine.style, detected_as);
      ++section.detections;
    }
    // Per-engine classification stays 0 even for detections, as in real reports.
    scans.push(scan_result(kUnknown, 0, engine.name, 0, result, "av", engine.version));
  }
  if (rng.chance(kNextGenShare)) {
    const bool flagged = malware && !node.propagated;
    const std::string ng_result =
        flagged ? split_threat(verdict.result).platform + ".Malware.Heuristic" : std::string();
    scans.push(scan_result(flagged ? verdict.classification : kUnknown, flagged ? verdict.factor : 0,
                           "Next-Generation Antivirus", flagged ? verdict.rca_factor : 0, ng_result, "ng_av",
                           kNextGenVersion));
  }

  section.value.set("classification", verdict.classification)
      .set("factor", verdict.factor)
      .set("propagated", node.propagated);
  if (node.propagated) {
    section.value.set("propagation_source", Value::object().set("name", "sha1").set("value", node.propagation_sha1));
  }
  section.value.set("rca_factor", verdict.rca_factor)
      .set("result", verdict.result)
      .set("scan_results", std::move(scans));
  return section;
}

Value build_indicators(Prng& rng, const FileNode& node) {
  constexpr int kMalwareRelevance = 2;  // indicators this relevant are only raised on bad files
  const uint8_t groups = kind_of(node.spec.kind).groups;
  const bool malware = node.final.classification >= kSuspicious;
  std::vector<size_t> candidates;
  for (size_t i = 0; i < kIndicators.size(); ++i) {
    const IndicatorDef& def = kIndicators[i];
    if ((def.groups & groups) == 0) continue;
    if (def.relevance >= kMalwareRelevance && !malware) continue;
    candidates.push_back(i);
  }
  const int available = static_cast<int>(candidates.size());
  const int count = uniform_high(rng, std::min(kMinIndicators, available), std::min(kMaxIndicators, available));
  const bool container = node.direct_children > 0;
  Value out = Value::array();
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
    std::swap(candidates[i], candidates[static_cast<size_t>(rng.uniform_u64(i, candidates.size() - 1))]);
    const IndicatorDef& def = kIndicators[candidates[i]];
    std::vector<std::string_view> values(def.reason_values.begin(), def.reason_values.end());
    const int reasons = uniform_int(rng, 1, std::min(kMaxReasons, static_cast<int>(values.size())));
    Value reason_list = Value::array();
    for (size_t r = 0; r < static_cast<size_t>(reasons); ++r) {
      std::swap(values[r], values[static_cast<size_t>(rng.uniform_u64(r, values.size() - 1))]);
      reason_list.push(Value::object()
                           .set("category", def.reason_category)
                           .set("description", std::string(def.reason_prefix) + std::string(values[r]))
                           .set("propagated", container && rng.chance(kPropagatedReasonShare)));
    }
    out.push(Value::object()
                 .set("priority", def.priority)
                 .set("category", def.category)
                 .set("description", def.description)
                 .set("id", def.id)
                 .set("relevance", def.relevance)
                 .set("reasons", std::move(reason_list)));
  }
  return out;
}

Value build_info(const FileNode& node) {
  const FileKind& kind = kind_of(node.spec.kind);
  Value hashes = Value::array();
  hashes.push(Value::object().set("name", "md5").set("value", node.digests.md5));
  hashes.push(Value::object().set("name", "sha1").set("value", node.digests.sha1));
  hashes.push(Value::object().set("name", "sha256").set("value", node.digests.sha256));
  Value file = Value::object();
  file.set("entropy", node.entropy)
      .set("file_name", node.file_name)
      .set("file_path", node.file_path)
      .set("file_subtype", kind.file_subtype)
      .set("file_type", kind.file_type)
      .set("hashes", std::move(hashes))
      .set("size", node.spec.size);
  return Value::object().set("file", std::move(file));
}

std::string bad_host(Prng& rng) {
  constexpr int kMaxHostNumber = 99;
  std::string host(pick(rng, kBadWords));
  host += std::to_string(uniform_int(rng, 1, kMaxHostNumber));
  host += ".";
  host += pick(rng, kBadTlds);
  return host;
}

std::string string_value(Prng& rng, std::string_view category, bool malware) {
  constexpr int kMinPort = 1024;
  constexpr int kMaxPort = 65535;
  std::string host = malware && rng.chance(kBadHostShare) ? bad_host(rng) : std::string(pick(rng, kCleanDomains));
  if (category == "ipv4") {
    if (rng.chance(kLoopbackShare)) return rng.chance(kCoinFlip) ? "127.0.0.1" : "0.0.0.0";
    std::string ip = random_public_ip(rng);
    if (malware && rng.chance(kCoinFlip)) ip += ":" + std::to_string(uniform_int(rng, kMinPort, kMaxPort));
    return ip;
  }
  if (category == "mailto") return std::string(pick(rng, kMailUsers)) + "@" + host;
  if (category == "ftp") return host + "/pub/" + std::string(pick(rng, kBadPaths));
  if (malware && rng.chance(kBadPathShare)) return host + "/" + std::string(pick(rng, kBadPaths));
  return host;
}

Value build_interesting_strings(Prng& rng, const FileNode& node) {
  const FileKind& kind = kind_of(node.spec.kind);
  const int max_categories = kind.file_type == "Image" ? 1 : kMaxStringCategories;
  const int count = uniform_int(rng, 0, max_categories);
  std::array<std::string_view, kStringCategories.size()> categories = kStringCategories;
  const bool malware = node.own.classification >= kSuspicious;
  Value out = Value::array();
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
    std::swap(categories[i], categories[static_cast<size_t>(rng.uniform_u64(i, categories.size() - 1))]);
    std::vector<std::string> values;
    const int value_count = uniform_int(rng, 1, kMaxStringValues);
    for (int v = 0; v < value_count; ++v) {
      std::string value = string_value(rng, categories[i], malware);
      if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(std::move(value));
    }
    out.push(Value::object().set("category", categories[i]).set("values", string_array(values)));
  }
  return out;
}

Value build_metadata(Prng& rng, const FileNode& node) {
  const bool executable = is_pe(node.spec.kind) || node.spec.kind == KindId::kElf;
  const int64_t capabilities =
      executable ? static_cast<int64_t>(rng.uniform_u64(0, (uint64_t{1} << kCapabilityBits) - 1)) : 0;
  Value application = Value::object().set("capabilities", capabilities);
  Value metadata = Value::object();
  const FileKind& kind = kind_of(node.spec.kind);
  if (is_pe(node.spec.kind)) {
    constexpr int64_t kPeTimestampMin = 1262304000;  // 2010-01-01: compile stamps of real software
    constexpr int64_t kImageBase32 = 0x400000;
    constexpr int64_t kImageBase64 = 0x140000000;
    constexpr int64_t kMaxEntryPoint = 0x80000;
    constexpr int kMinSections = 3;
    constexpr int kMaxSections = 9;
    constexpr int64_t kMinEntryPoint = 0x1000;  // first byte after the headers' page
    constexpr int kMaxImports = 400;
    constexpr double kDotnetShare = 0.15;
    constexpr double kSignedShare = 0.4;
    const bool wide = node.spec.kind == KindId::kPeExe64;
    application.set("pe", Value::object()
                              .set("machine_type", wide ? "AMD64" : "I386")
                              .set("subsystem", rng.chance(kGuiShare) ? "Windows GUI" : "Windows CUI")
                              .set("timestamp", rng.uniform(kPeTimestampMin, kEpoch2024))
                              .set("image_base", wide ? kImageBase64 : kImageBase32)
                              .set("entry_point", rng.uniform(kMinEntryPoint, kMaxEntryPoint))
                              .set("section_count", uniform_int(rng, kMinSections, kMaxSections))
                              .set("import_count", uniform_int(rng, 1, kMaxImports))
                              .set("is_dotnet", rng.chance(kDotnetShare))
                              .set("is_signed", rng.chance(kSignedShare)));
  }
  metadata.set("application", std::move(application));
  if (kind.file_type == "Document") {
    constexpr int kMaxPages = 40;
    metadata.set("document",
                 Value::object()
                     .set("author", pick(rng, kUploaders))
                     .set("title", pick(rng, kDocumentNames))
                     .set("page_count", uniform_int(rng, 1, kMaxPages))
                     .set("creator", node.spec.kind == KindId::kPdf ? "Microsoft Print to PDF" : "Microsoft Office"));
  } else if (kind.layout == Layout::kEmail) {
    const std::string user(pick(rng, kMailUsers));
    metadata.set("email", Value::object()
                              .set("from", user + "@" + std::string(pick(rng, kVendors)) + ".com")
                              .set("subject", std::string(pick(rng, kEmailSubjects)))
                              .set("attachment_count", node.direct_children));
  } else if (kind.layout == Layout::kArchive) {
    constexpr double kEncryptedShare = 0.1;
    metadata.set(
        "archive",
        Value::object().set("entry_count", node.direct_children).set("encrypted", rng.chance(kEncryptedShare)));
  }
  return metadata;
}

struct Capability {
  std::string_view tag;
  std::string_view text;
};

constexpr std::array kCapabilities = {
    Capability{"capability-execution", "create processes"},
    Capability{"capability-filesystem", "access the file system"},
    Capability{"capability-network", "communicate over the network"},
    Capability{"capability-registry", "access the registry"},
    Capability{"capability-cryptography", "use cryptography"},
};

std::vector<Capability> draw_capabilities(Prng& rng, const FileNode& node) {
  std::vector<Capability> out;
  if (!is_pe(node.spec.kind)) return out;
  for (const auto& capability : kCapabilities) {
    if (rng.chance(kCapabilityTagShare)) out.push_back(capability);
  }
  return out;
}

Value build_story(const FileNode& node, const ClassificationSection& section,
                  const std::vector<Capability>& capabilities) {
  const FileKind& kind = kind_of(node.spec.kind);
  std::string description = "This file (SHA1: " + node.digests.sha1 + ") is a " + std::string(kind.description) + ".";
  if (node.direct_children == 0) {
    description += " There are no extracted files.";
  } else if (node.direct_children == 1) {
    description += " There is one extracted file.";
  } else {
    description += " There are " + std::to_string(node.direct_children) + " extracted files.";
  }

  const Verdict& verdict = node.final;
  const std::string word(classification_word(verdict.classification));
  std::string classification;
  if (node.propagated) {
    classification = "The file was classified as " + word + " (" + verdict.result +
                     ") because it contains an extracted file (SHA1: " + node.propagation_sha1 +
                     ") that was classified as " + word + ".";
  } else if (verdict.classification >= kSuspicious) {
    classification = "The file was classified as " + word + " (" + verdict.result + ") with a threat level of " +
                     std::to_string(verdict.factor) + ", using TitaniumCore RHA1 classifier.";
  } else if (node.graylisted) {
    classification = "The file was classified as goodware, using TitaniumCore graylisting classifier.";
  } else if (verdict.classification == kGoodware) {
    classification =
        "The file was classified as goodware with a trust factor of " + std::to_string(verdict.factor) + ".";
  } else {
    classification = "No threats were found; the file is not classified.";
  }

  Value story = Value::array();
  story.push(Value::object().set("caption", "Description").set("content", description));
  story.push(Value::object().set("caption", "Classification").set("content", classification));
  if (!capabilities.empty()) {
    std::string content = "The application has the capability to";
    for (size_t i = 0; i < capabilities.size(); ++i) {
      content += i == 0 ? " " : (i + 1 == capabilities.size() ? " and " : ", ");
      content += capabilities[i].text;
    }
    story.push(Value::object().set("caption", "Capabilities").set("content", content + "."));
  }
  if (section.detections > 0) {
    story.push(Value::object()
                   .set("caption", "Antivirus")
                   .set("content", std::to_string(section.detections) + " of " + std::to_string(section.engines) +
                                       " antivirus engines detected the file."));
  }
  return story;
}

Value build_tags(Prng& rng, const FileNode& node, const ClassificationSection& section,
                 const std::vector<Capability>& capabilities) {
  std::vector<std::string> tags;
  const FileKind& kind = kind_of(node.spec.kind);
  if (node.graylisted) tags.emplace_back("graylisting");
  if (section.detections > 0) tags.emplace_back("antivirus");
  if (is_pe(node.spec.kind)) {
    tags.emplace_back(node.spec.kind == KindId::kPeExe64 ? "arch-x86_64" : "arch-x86");
    for (const auto& capability : capabilities) tags.emplace_back(capability.tag);
  }
  switch (kind.layout) {
    case Layout::kBinaryLayer:
      tags.emplace_back("installer");
      tags.emplace_back("overlay");
      break;
    case Layout::kArchive: tags.emplace_back(node.spec.kind == KindId::kMsi ? "installer" : "archive"); break;
    case Layout::kEmail:
      tags.emplace_back("email");
      if (node.direct_children > 0) tags.emplace_back("attachment");
      break;
    case Layout::kLeaf: break;
  }
  if (node.contains_pe) tags.emplace_back("contains-pe");
  if (node.entropy > kHighEntropy) tags.emplace_back("entropy-high");
  if ((node.spec.kind == KindId::kWord || node.spec.kind == KindId::kExcel) && rng.chance(kCoinFlip)) {
    tags.emplace_back("macros");
  }
  if ((kind.groups & kGroupScript) != 0 && node.own.classification >= kSuspicious && rng.chance(kCoinFlip)) {
    tags.emplace_back("obfuscated");
  }
  return string_array(tags);
}

Value build_entry(const FileNode& node, std::string_view core_version) {
  Prng rng = node.content_rng;
  Value entry = Value::object();
  entry.set("index", node.index);
  if (node.parent >= 0) entry.set("parent", node.parent);
  ClassificationSection classification = build_classification(rng, node, core_version);
  Value indicators = build_indicators(rng, node);
  Value strings = build_interesting_strings(rng, node);
  Value metadata = build_metadata(rng, node);
  const std::vector<Capability> capabilities = draw_capabilities(rng, node);
  Value story = build_story(node, classification, capabilities);
  Value tags = build_tags(rng, node, classification, capabilities);
  entry.set("classification", std::move(classification.value))
      .set("indicators", std::move(indicators))
      .set("info", build_info(node));
  // The flat view has no key for an empty array, so a file without strings omits the key in both views.
  if (!strings.as_array()->empty()) entry.set("interesting_strings", std::move(strings));
  entry.set("metadata", std::move(metadata)).set("story", std::move(story)).set("tags", std::move(tags));
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Task metadata.

struct Site {
  std::string domain;
  int net_b = 0;
  int net_c = 0;
  uint64_t task_base = 0;
  int64_t start = 0;
};

Site site_for(uint64_t seed) {
  Prng rng(derive(seed, Stream::kSite, 0));
  constexpr int64_t kStartSpread = 365LL * 86400;
  Site site;
  site.domain = std::string(pick(rng, kSiteDomains));
  site.net_b = uniform_int(rng, 0, kOctetMax);
  site.net_c = uniform_int(rng, 0, kOctetMax);
  site.task_base = kMinTaskBase + rng.uniform_u64(0, kTaskBaseSpan);
  site.start = rng.uniform(0, kStartSpread);
  return site;
}

Value build_custom_data(Prng& rng) {
  constexpr int kTicketDigits = 7;
  switch (uniform_int(rng, 0, 2)) {
    case 0:
      return Value::object().set(
          "file_source", Value::object().set("uploader", pick(rng, kUploaders)).set("origin", pick(rng, kOrigins)));
    case 1: {
      const std::string id = random_uuid(rng);
      return Value::object()
          .set("source", "email-gateway")
          .set("message_id", "<" + id + "@mail." + std::string(pick(rng, kVendors)) + ".com>");
    }
    default:
      return Value::object()
          .set("ticket", "INC" + random_chars(rng, kDigits, kTicketDigits))
          .set("submitted_by", pick(rng, kUploaders));
  }
}

Value number_field(int64_t number, bool as_string) {
  return as_string ? Value(std::to_string(number)) : Value(number);
}

}  // namespace

std::string pool_file_bytes(uint64_t seed, uint64_t k) {
  const FileSpec spec = pool_spec(seed, k);
  return make_bytes(kind_of(spec.kind), spec.size, spec.bytes_seed);
}

PoolFile pool_file(uint64_t seed, uint64_t k) {
  const FileSpec spec = pool_spec(seed, k);
  const FileKind& kind = kind_of(spec.kind);
  const std::string bytes = make_bytes(kind, spec.size, spec.bytes_seed);
  core::FileDigests digests = core::file_digests(bytes);
  return PoolFile{std::move(digests.md5),
                  std::move(digests.sha1),
                  std::move(digests.sha256),
                  spec.classification,
                  spec.threat,
                  spec.file_name,
                  std::string(kind.file_type),
                  std::string(kind.file_subtype),
                  spec.size};
}

std::string generate_report(const ReportGeneratorOptions& options, uint64_t n) {
  const uint64_t report_seed = derive(options.seed, Stream::kReport, n);
  Prng rng(report_seed);
  const Site site = site_for(options.seed);

  // Task metadata first, so its draws never depend on the file tree.
  const bool old_style = rng.chance(kOldStyleShare);
  const bool string_numbers = rng.chance(kStringNumbersShare);
  const int64_t offset = site.start + static_cast<int64_t>(n % static_cast<uint64_t>(kSubmittedSpan)) * kMeanTaskGap +
                         rng.uniform(0, kMeanTaskGap - 1);
  const int64_t submitted = kEpoch2024 + offset % kSubmittedSpan;
  const int64_t processed = submitted + rng.uniform(0, kMaxProcessing);
  const auto task_id = static_cast<int64_t>(site.task_base + n);
  const int worker = uniform_int(rng, 1, kWorkerCount);
  const int sender = uniform_int(rng, 1, kSenderCount);
  const bool with_custom_data = rng.chance(kCustomDataShare);
  const bool forwarded = rng.chance(kForwardedShare);
  const std::string core_version(pick(rng, kCoreVersions));

  Value top = Value::object();
  top.set("submitted", number_field(submitted, string_numbers))
      .set("task_id", number_field(task_id, string_numbers && rng.chance(kCoinFlip)))
      .set("processed", number_field(processed, string_numbers));
  if (!old_style) {
    const std::string hostname = "tiscale-worker-0" + std::to_string(worker);
    constexpr int kWorkerHostBase = 10;
    constexpr int kSenderHostBase = 100;
    constexpr int kPrivateNet = 10;
    Value forwarded_for = Value::array();
    if (forwarded) {
      const int hops = uniform_int(rng, 1, 2);
      for (int i = 0; i < hops; ++i) forwarded_for.push(random_public_ip(rng));
    }
    top.set("worker_ip", Value::array().push(ipv4(kPrivateNet, site.net_b, site.net_c, kWorkerHostBase + worker)))
        .set("worker_address", Value::array().push(hostname + "." + site.domain))
        .set("worker_hostname", hostname)
        .set("direct_sender", ipv4(kPrivateNet, site.net_b, (site.net_c + 1) % kOctets, kSenderHostBase + sender))
        .set("forwarded_for", std::move(forwarded_for));
    if (with_custom_data) top.set("custom_data", build_custom_data(rng));
  }

  Profile profile;
  if (rng.chance(kMaliciousReportShare))
    profile.malicious_rate = rng.uniform_double(kMaliciousLeafMin, kMaliciousLeafMax);
  if (rng.chance(kSuspiciousReportShare)) {
    profile.suspicious_rate = rng.uniform_double(kSuspiciousLeafMin, kSuspiciousLeafMax);
  }
  const int children_min = std::max(0, options.children_min);
  const int children_max = std::max(children_min, options.children_max);
  const int children = uniform_int(rng, children_min, children_max);

  std::vector<FileNode> nodes = TreeBuilder(options.seed, report_seed, rng, profile).build(children);
  for (auto& node : nodes) {
    const FileKind& kind = kind_of(node.spec.kind);
    const std::string bytes = make_bytes(kind, node.spec.size, node.spec.bytes_seed);
    node.digests = core::file_digests(bytes);
    node.entropy = shannon_entropy(bytes);
    // Drawn from the file's own stream so a pool file gets the same findings in every report.
    node.content_rng = Prng(node.spec.content_seed);
    node.own = own_verdict(node.content_rng, node);
    // Graylisting is how Spectra Core clears plain text and data formats, not scripts.
    node.graylisted = node.own.classification == kGoodware && kind.body == Body::kText && kind.groups == kGroupAny &&
                      node.content_rng.chance(kGraylistingShare);
    if (node.graylisted) node.own.result = "Text.Format.Graylisting";
  }
  propagate(nodes);

  Value entries = Value::array();
  for (const auto& node : nodes) entries.push(build_entry(node, core_version));
  top.set("tc_report", std::move(entries));

  std::string out;
  core::JsonWriter writer(out);
  const auto& members = *top.as_object();
  writer.begin_object();
  for (size_t i = 0; i < members.keys.size(); ++i) {
    writer.key(members.keys[i]);
    if (members.keys[i] != "tc_report" || !options.flat_view) {
      write_nested(writer, members.values[i]);
      continue;
    }
    writer.begin_array();
    for (const auto& entry : *members.values[i].as_array()) write_flat_entry(writer, entry);
    writer.end_array();
  }
  writer.end_object();
  out.push_back('\n');
  return out;
}

}  // namespace sb::tools
