// Synthetic Defender XDR alerts: one AlertInfo and several AlertEvidence records per alert, naming files of
// the shared Spectra Detect pool, in the Event Hubs envelope of the Streaming API.
#include "tools/generators/alert_generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/json_writer.hpp"
#include "core/prng.hpp"
#include "tools/generators/alert_catalogues.hpp"
#include "tools/generators/file_pool.hpp"
#include "tools/generators/fleet.hpp"
#include "tools/generators/random_text.hpp"

namespace sb::tools {
namespace {

using namespace alert_gen;
using core::JsonWriter;
using core::Prng;

// ---------------------------------------------------------------------------------------------
// Tunables.

constexpr int64_t kTicksPerSecond = 10'000'000;  // Defender times have 7 fractional digits: 100 ns ticks
constexpr int64_t kTicksPerMillisecond = 10'000;
constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kSecondsPerMinute = 60;
constexpr int64_t kDotNetEpochTicks =
    621'355'968'000'000'000;                              // 0001-01-01 → 1970-01-01; MDE AlertIds carry .NET ticks
constexpr int64_t kMeanAlertGap = 120 * kTicksPerSecond;  // about 700 alerts a day
constexpr uint64_t kAlertsBeforeWrap = 525'600;           // two years of alerts, then the clock starts over
// Event time → service receipt (_TimeReceivedBySvc) → publication (time), as in the captures.
constexpr int64_t kMinIngestDelay = 1 * kTicksPerSecond;
constexpr int64_t kMaxIngestDelay = 90 * kTicksPerSecond;
constexpr int64_t kMinPublishDelay = 30 * kTicksPerSecond;
constexpr int64_t kMaxPublishDelay = 240 * kTicksPerSecond;
constexpr int64_t kMaxRecordJitter = 200 * kTicksPerMillisecond;
constexpr int64_t kMaxProcessAge = 600 * kTicksPerSecond;  // a process starts shortly before it is caught

constexpr double kInfoLastShare = 0.3;  // AlertInfo after the evidence: the tables are exported separately
constexpr int kThreatSkew = 2;          // a few campaigns hit many machines
constexpr int kCleanSkew = 2;
constexpr int kDeviceSkew = 2;  // some machines (shared, exposed) raise far more alerts
constexpr int kAccountSkew = 2;
constexpr double kFreshShare = 0.07;  // files in no Spectra Detect report and no intelligence feed
constexpr double kSha256Share = 0.4;  // "usually not populated" (AlertEvidence docs): SHA1 is the key
constexpr double kMd5Share = 0.1;     // some producers add an MD5 inside AdditionalFields
constexpr double kMd5OnlyShare = 0.02;
constexpr double kOwnerShare = 0.8;  // alerts on a device are mostly about its usual user
constexpr double kUserEntityShare = 0.85;
constexpr double kRootShare = 0.6;  // Linux alerts: most run as root
constexpr double kSecondAttachmentShare = 0.3;
constexpr double kSenderIpShare = 0.4;
constexpr double kSecondSignInShare = 0.3;
constexpr double kThreatRelatedShare = 0.5;
constexpr double kHighRiskShare = 0.5;
constexpr double kHttpsShare = 0.6;
constexpr double kCoinFlip = 0.5;
constexpr int kMatchAttempts = 24;  // skewed draws tried for a file of a wanted kind before taking any
constexpr int kWindowsDeviceAttempts = 64;
constexpr int kMinAlertSuffix = 100'000'000;
constexpr int kMaxAlertSuffix = 2'147'483'647;
constexpr size_t kSha1Digits = 40;
constexpr size_t kSha256Digits = 64;
constexpr size_t kMd5Digits = 32;
constexpr size_t kIdProtectionIdDigits = 40;
constexpr size_t kTokenLength = 8;
constexpr uint64_t kFreshSizeBase = 2048;
constexpr int kMaxFreshSizeOctave = 11;
constexpr int kMinProcessId = 400;
constexpr int kMaxProcessId = 30000;
constexpr int kMinMessageNumber = 10000;
constexpr int kMaxMessageNumber = 999999;
constexpr int kQuarters = 4;
constexpr int kMaxHostNumber = 99;
constexpr int kOctetMax = 254;
constexpr int64_t kExchangeOnlineAppId = 20893;  // Defender for Cloud Apps' id for Exchange Online

constexpr std::string_view kEvidenceCategory = "AdvancedHunting-AlertEvidence";
constexpr std::string_view kInfoCategory = "AdvancedHunting-AlertInfo";

// Stream ids for derive_seed; below 16 belongs to fleet.cpp.
enum class Stream : uint64_t { kAlert = 16, kSystemImage };

uint64_t derive(uint64_t seed, Stream stream, uint64_t index) {
  return core::derive_seed(seed, static_cast<uint64_t>(stream), index);
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

std::string replace_all(std::string text, std::string_view token, std::string_view value) {
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size())) {
    text.replace(at, token.size(), value);
  }
  return text;
}

//! "2024-05-21T23:37:19.7996118Z" from 100 ns ticks since 1970; integer-only, so the same everywhere.
std::string iso_ticks(int64_t ticks) {
  const int64_t seconds = ticks / kTicksPerSecond;
  const int64_t fraction = ticks % kTicksPerSecond;
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{seconds / kSecondsPerDay}}};
  const int64_t in_day = seconds % kSecondsPerDay;
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:07d}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), in_day / kSecondsPerHour,
                     in_day / kSecondsPerMinute % kSecondsPerMinute, in_day % kSecondsPerMinute, fraction);
}

std::string bad_ip(Prng& rng) {
  // One draw per statement: the evaluation order of function arguments differs between compilers.
  const int a = rng.pick(kBadFirstOctets);
  const int b = uniform_int(rng, 1, kOctetMax);
  const int c = uniform_int(rng, 1, kOctetMax);
  const int d = uniform_int(rng, 1, kOctetMax);
  return ipv4(a, b, c, d);
}

std::string bad_host(Prng& rng) {
  const std::string word(rng.pick(kBadHostWords));
  const int number = uniform_int(rng, 1, kMaxHostNumber);
  return word + "-" + std::to_string(number) + "." + std::string(rng.pick(kBadTlds));
}

std::string bad_url(Prng& rng) {
  const std::string scheme = rng.chance(kHttpsShare) ? "https://" : "http://";
  const std::string host = bad_host(rng);
  return scheme + host + "/" + std::string(rng.pick(kBadPaths));
}

//! "Win32.Trojan.Emotet" → "Emotet"; generic verdicts get the family Defender gives its own.
std::string family_of(std::string_view threat) {
  const size_t first = threat.find('.');
  const size_t second = first == std::string_view::npos ? first : threat.find('.', first + 1);
  if (second == std::string_view::npos) return std::string(kGenericFamily);
  const std::string_view family = threat.substr(second + 1);
  if (family == "Generic" || family == "Heuristic") return std::string(kGenericFamily);
  return std::string(family);
}

// ---------------------------------------------------------------------------------------------
// The alert header: what defender_alert_id needs, drawn first from the alert's stream.

const AlertTemplate& pick_template(Prng& rng) {
  constexpr int kTotalWeight = [] {
    int total = 0;
    for (const auto& entry : kAlertTemplates) total += entry.weight;
    return total;
  }();
  int remaining = uniform_int(rng, 0, kTotalWeight - 1);
  for (const auto& entry : kAlertTemplates) {
    if (remaining < entry.weight) return entry;
    remaining -= entry.weight;
  }
  return kAlertTemplates.back();
}

struct AlertHeader {
  const AlertTemplate* kind = nullptr;
  std::string id;
  int64_t timestamp = 0;  // when the activity happened (Timestamp)
  int64_t received = 0;   // when the service got it (_TimeReceivedBySvc)
  int64_t published = 0;  // when it was streamed (time)
  bool info_last = false;
};

AlertHeader draw_header(Prng& rng, const Tenant& tenant, uint64_t n) {
  AlertHeader header;
  header.kind = &pick_template(rng);
  // Strictly increasing in n (within a wrap): alert n falls in its own gap-sized slot.
  header.timestamp = tenant.start_ticks + static_cast<int64_t>(n % kAlertsBeforeWrap) * kMeanAlertGap +
                     rng.uniform(0, kMeanAlertGap - 1);
  header.received = header.timestamp + rng.uniform(kMinIngestDelay, kMaxIngestDelay);
  header.published = header.received + rng.uniform(kMinPublishDelay, kMaxPublishDelay);
  header.info_last = rng.chance(kInfoLastShare);
  // Id shapes per producer, from real records: MDE "da<.NET ticks>_<number>", Defender for Office
  // 365 "fa<GUID>", Entra ID Protection "ad<40 hex digits>".
  switch (header.kind->source) {
    case Source::kEndpoint:
      header.id = "da" + std::to_string(header.received + kDotNetEpochTicks) + "_" +
                  std::to_string(rng.uniform(kMinAlertSuffix, kMaxAlertSuffix));
      break;
    case Source::kOffice: header.id = "fa" + random_uuid(rng); break;
    case Source::kIdentityProtection: header.id = "ad" + random_chars(rng, kLowerHex, kIdProtectionIdDigits); break;
  }
  return header;
}

// ---------------------------------------------------------------------------------------------
// Files and evidence rows.

struct AlertFile {
  std::string name;
  std::string folder;
  std::string sha1, sha256, md5;
  uint64_t size = 0;
  std::string family;  // empty unless the file is a threat
  std::string_view file_type, file_subtype;
  Platform platform = Platform::kWindows;
  // Which hashes its rows carry, decided once per file so its File and Process rows agree.
  bool with_sha1 = true;
  bool with_sha256 = false;
  bool md5_in_additional = false;

  std::string path() const {
    if (folder.empty()) return name;
    return folder + (platform == Platform::kLinux ? "/" : "\\") + name;
  }
  bool executable() const { return (file_type == "PE" && file_subtype == "Exe") || file_type == "ELF"; }
};

enum class Entity : uint8_t { kFile, kProcess, kMachine, kUser, kIp, kUrl, kMailMessage, kMailbox, kRegistryValue };

std::string_view entity_name(Entity entity) {
  switch (entity) {
    case Entity::kFile: return "File";
    case Entity::kProcess: return "Process";
    case Entity::kMachine: return "Machine";
    case Entity::kUser: return "User";
    case Entity::kIp: return "Ip";
    case Entity::kUrl: return "Url";
    case Entity::kMailMessage: return "MailMessage";
    case Entity::kMailbox: return "Mailbox";
    case Entity::kRegistryValue: return "RegistryValue";
  }
  return "";
}

constexpr std::string_view kImpacted = "Impacted";
constexpr std::string_view kRelated = "Related";

//! One AlertEvidence record's own columns; empty strings are written as null.
struct EvidenceRow {
  Entity entity = Entity::kFile;
  std::string_view role = kRelated;
  std::string_view direction;
  std::string file_name, folder_path, sha1, sha256;
  uint64_t file_size = 0;  // 0: null
  std::string threat_family;
  std::string remote_ip, remote_url;
  bool with_account = false;
  bool with_device = false;
  bool with_mail = false;
  bool with_application = false;
  std::string command_line;
  std::string registry_key, registry_value_name, registry_value_data;
  std::string additional_fields;  // JSON text
};

//! The columns for the account an alert is about.
struct AccountColumns {
  std::string name, domain, sid, object_id, upn, display_name;
};

struct MailColumns {
  std::string network_message_id;
  std::string subject;
};

//! An alert drawn in full, ready to be written.
struct BuiltAlert {
  AlertHeader header;
  std::string title;
  std::optional<Device> device;
  AccountColumns account;
  MailColumns mail;
  std::vector<EvidenceRow> rows;
  std::vector<int64_t> record_times;  // one per record, AlertInfo's last
};

class AlertBuilder {
 public:
  AlertBuilder(const Tenant& tenant, const FilePool& pool, uint64_t n)
      : tenant_(tenant), pool_(pool), rng_(derive(tenant.seed, Stream::kAlert, n)) {
    alert_.header = draw_header(rng_, tenant, n);
  }

  BuiltAlert build() {
    const AlertTemplate& kind = *alert_.header.kind;
    std::string family;
    switch (kind.source) {
      case Source::kEndpoint: family = build_endpoint(kind); break;
      case Source::kOffice: family = build_office(kind); break;
      case Source::kIdentityProtection: build_sign_in(); break;
    }
    alert_.title = replace_all(std::string(kind.title), "{family}", family.empty() ? kGenericFamily : family);
    for (size_t i = 0; i <= alert_.rows.size(); ++i) {
      alert_.record_times.push_back(alert_.header.published + rng_.uniform(0, kMaxRecordJitter));
    }
    return std::move(alert_);
  }

 private:
  // --- Drawing files.

  //! The "$id" of the next AdditionalFields object: Defender numbers the entities of an alert.
  std::string next_ref() { return std::to_string(++refs_); }

  void draw_hash_presence(AlertFile& file) {
    // All three draws always happen, so later draws do not shift with the outcome.
    file.with_sha256 = rng_.chance(kSha256Share);
    file.md5_in_additional = rng_.chance(kMd5Share);
    if (rng_.chance(kMd5OnlyShare)) {
      file.with_sha1 = false;
      file.with_sha256 = false;
      file.md5_in_additional = true;
    }
  }

  AlertFile from_pool(uint64_t k, Platform platform) const {
    const tools::PoolFile& source = pool_.file(k);
    AlertFile file;
    file.name = source.file_name;
    file.sha1 = source.sha1;
    file.sha256 = source.sha256;
    file.md5 = source.md5;
    file.size = source.size;
    if (!source.threat_name.empty()) file.family = family_of(source.threat_name);
    file.file_type = source.file_type;
    file.file_subtype = source.file_subtype;
    file.platform = platform;
    return file;
  }

  AlertFile fresh_file(Platform platform) {
    const FreshKind& kind = platform == Platform::kLinux ? kFreshLinuxKind : rng_.pick(kFreshWindowsKinds);
    AlertFile file;
    file.name = random_chars(rng_, kLowerAlnum, kTokenLength) + std::string(kind.extension);
    const auto octave = static_cast<int>(rng_.uniform(0, kMaxFreshSizeOctave));
    const uint64_t low = kFreshSizeBase << octave;
    file.size = low + rng_.uniform_u64(0, low - 1);
    file.sha1 = random_chars(rng_, kLowerHex, kSha1Digits);
    file.sha256 = random_chars(rng_, kLowerHex, kSha256Digits);
    file.md5 = random_chars(rng_, kLowerHex, kMd5Digits);
    file.file_type = kind.file_type;
    file.file_subtype = kind.file_subtype;
    file.platform = platform;
    return file;
  }

  //! A file from `group` (popular ones far more often), or now and then one nobody has seen.
  //! `wanted` prefers files of a kind; after kMatchAttempts draws any file does.
  template <typename Wanted>
  AlertFile draw_file(std::span<const uint64_t> group, int skew, Platform platform, Wanted wanted) {
    AlertFile file;
    if (group.empty() || rng_.chance(kFreshShare)) {
      file = fresh_file(platform);
    } else {
      uint64_t k = group[skewed_index(rng_, group.size(), skew)];
      for (int attempt = 1; attempt < kMatchAttempts && !wanted(pool_.file(k)); ++attempt) {
        k = group[skewed_index(rng_, group.size(), skew)];
      }
      file = from_pool(k, platform);
    }
    draw_hash_presence(file);
    return file;
  }
  AlertFile draw_file(std::span<const uint64_t> group, int skew, Platform platform) {
    return draw_file(group, skew, platform, [](const tools::PoolFile&) { return true; });
  }

  std::string folder_for(std::string_view pattern) {
    std::string folder = replace_all(std::string(pattern), "{user}", alert_.account.name);
    folder = replace_all(std::move(folder), "{company}", tenant_.company);
    if (folder.find("{token}") != std::string::npos) {
      folder = replace_all(std::move(folder), "{token}", random_chars(rng_, kUpperAlnum, kTokenLength));
    }
    return folder;
  }

  void place_dropped(AlertFile& file) {
    file.folder =
        folder_for(file.platform == Platform::kLinux ? rng_.pick(kLinuxDropFolders) : rng_.pick(kWindowsDropFolders));
    constexpr std::string_view kRootHome = "/home/root";  // root's home is /root
    if (file.folder.starts_with(kRootHome)) file.folder = "/root" + file.folder.substr(kRootHome.size());
  }

  //! The image of a system binary: a goodware pool file, the same for every device on one build.
  AlertFile system_image(Binary binary) {
    const SystemBinary& info = kSystemBinaries[static_cast<size_t>(binary)];
    const Platform platform = info.linux_os ? Platform::kLinux : Platform::kWindows;
    const auto tools = pool_.tools(platform);
    AlertFile file;
    if (!tools.empty()) {
      const uint64_t slot = static_cast<uint64_t>(binary) * kSystemBuilds + static_cast<uint64_t>(device_build());
      file = from_pool(tools[derive(pool_.report_seed(), Stream::kSystemImage, slot) % tools.size()], platform);
    } else {
      file.with_sha1 = false;  // no image to name: the row carries no hash
    }
    file.name = info.name;
    file.folder = info.folder;
    file.family.clear();
    file.with_sha256 = rng_.chance(kSha256Share);
    return file;
  }

  int device_build() const { return alert_.device ? alert_.device->build : 0; }

  // --- Rows.

  EvidenceRow file_row(const AlertFile& file, Entity entity, std::string_view role) {
    EvidenceRow row;
    row.entity = entity;
    row.role = role;
    row.file_name = file.name;
    row.folder_path = file.folder;
    if (file.with_sha1) row.sha1 = file.sha1;
    if (file.with_sha256) row.sha256 = file.sha256;
    row.file_size = file.size;
    row.threat_family = file.family;
    row.with_device = alert_.device.has_value();
    row.with_account = true;
    std::string extra;
    JsonWriter json(extra);
    json.begin_object().key("$id").value(next_ref());
    if (entity == Entity::kProcess) {
      const int pid = uniform_int(rng_, kMinProcessId, kMaxProcessId);
      const int64_t age = rng_.uniform(0, kMaxProcessAge);
      // ProcessId is a string in real records (see the Elastic capture).
      json.key("ProcessId").value(std::to_string(pid));
      json.key("CreationTimeUtc").value(iso_ticks(alert_.header.timestamp - age));
      json.key("Type").value("process");
    } else {
      if (!file.folder.empty()) json.key("Directory").value(file.folder);
      json.key("Name").value(file.name).key("Type").value("file");
    }
    if (file.md5_in_additional) json.key("MD5").value(file.md5);
    json.end_object();
    row.additional_fields = std::move(extra);
    return row;
  }

  void add_file(const AlertFile& file, std::string_view role) {
    alert_.rows.push_back(file_row(file, Entity::kFile, role));
  }

  void add_process(const AlertFile& image, std::string_view role, std::string command_line) {
    EvidenceRow row = file_row(image, Entity::kProcess, role);
    row.threat_family.clear();  // the family names the file; the process row is about the run
    row.command_line = std::move(command_line);
    alert_.rows.push_back(std::move(row));
  }

  void add_system_process(Binary binary, std::string_view role, const AlertFile* target) {
    const SystemBinary& info = kSystemBinaries[static_cast<size_t>(binary)];
    const std::string command = replace_all(std::string(info.command), "{path}", target ? target->path() : "");
    add_process(system_image(binary), role, command);
  }

  void add_machine() {
    const Device& device = *alert_.device;
    const bool linux_os = device.platform == Platform::kLinux;
    const std::string_view risk = rng_.chance(kHighRiskShare) ? "High" : "Medium";
    EvidenceRow row;
    row.entity = Entity::kMachine;
    row.role = kImpacted;
    row.with_device = true;
    JsonWriter json(row.additional_fields);
    json.begin_object()
        .key("$id")
        .value(next_ref())
        .key("HostName")
        .value(device.host)
        .key("DnsDomain")
        .value(tenant_.domain)
        .key("OSFamily")
        .value(linux_os ? "Linux" : "Windows")
        .key("OSVersion")
        .value(device.os_version)
        .key("MdatpDeviceId")
        .value(device.id)
        .key("RiskScore")
        .value(risk)
        .key("HealthStatus")
        .value("Active")
        .key("Type")
        .value("host")
        .end_object();
    alert_.rows.push_back(std::move(row));
  }

  void add_user(std::string_view role) {
    const AccountColumns& account = alert_.account;
    EvidenceRow row;
    row.entity = Entity::kUser;
    row.role = role;
    row.with_account = true;
    row.with_device = alert_.device.has_value();
    JsonWriter json(row.additional_fields);
    json.begin_object().key("$id").value(next_ref()).key("Name").value(account.name);
    if (!account.sid.empty()) json.key("NTDomain").value(account.domain).key("Sid").value(account.sid);
    if (!account.object_id.empty()) json.key("AadUserId").value(account.object_id);
    if (!account.upn.empty()) json.key("UPNSuffix").value(tenant_.domain);
    json.key("Type").value("account").end_object();
    alert_.rows.push_back(std::move(row));
  }

  void add_ip(std::string_view direction) {
    const Place& place = rng_.pick(kPlaces);
    EvidenceRow row;
    row.entity = Entity::kIp;
    row.direction = direction;
    row.remote_ip = bad_ip(rng_);
    row.with_device = alert_.device.has_value();
    JsonWriter json(row.additional_fields);
    json.begin_object()
        .key("$id")
        .value(next_ref())
        .key("Address")
        .value(row.remote_ip)
        .key("Location")
        .begin_object()
        .key("CountryCode")
        .value(place.country_code)
        .key("State")
        .value(place.state)
        .key("City")
        .value(place.city)
        .end_object()
        .key("Type")
        .value("ip")
        .end_object();
    alert_.rows.push_back(std::move(row));
  }

  void add_url() {
    EvidenceRow row;
    row.entity = Entity::kUrl;
    row.remote_url = bad_url(rng_);
    row.with_device = alert_.device.has_value();
    row.with_mail = alert_.header.kind->source == Source::kOffice;
    JsonWriter json(row.additional_fields);
    json.begin_object().key("$id").value(next_ref()).key("Url").value(row.remote_url).key("Type").value("url");
    json.end_object();
    alert_.rows.push_back(std::move(row));
  }

  // --- Accounts and devices.

  uint64_t draw_account_index() { return skewed_index(rng_, kAccountCount, kAccountSkew); }

  void set_account(uint64_t index) {
    const Account account = account_for(tenant_, index);
    alert_.account = {account.name, tenant_.netbios, account.sid, account.object_id, account.upn, account.display_name};
  }

  // --- Recipes.

  //! Defender for Endpoint: a device, its user, the files and processes of what happened.
  std::string build_endpoint(const AlertTemplate& kind) {
    const EndpointRecipe recipe = endpoint_recipe(kind.recipe);
    // Office, LSASS, the registry and user documents exist on Windows only.
    const bool windows_only = kind.recipe == Recipe::kOfficeChild || kind.recipe == Recipe::kCredentialTheft ||
                              kind.recipe == Recipe::kRansomware || kind.footprint != Footprint::kNone;
    Device device = device_for(tenant_, skewed_index(rng_, kDeviceCount, kDeviceSkew));
    for (int attempt = 0; windows_only && device.platform == Platform::kLinux && attempt < kWindowsDeviceAttempts;
         ++attempt) {
      device = device_for(tenant_, rng_.uniform_u64(0, kDeviceCount - 1));
    }
    const Platform platform = device.platform;
    const uint64_t owner = device.owner;
    alert_.device = std::move(device);
    const uint64_t account_index = rng_.chance(kOwnerShare) ? owner : draw_account_index();
    set_account(account_index);
    if (platform == Platform::kLinux) {
      if (rng_.chance(kRootShare)) alert_.account = {"root", alert_.device->host, "", "", "", "root"};
      alert_.account.domain = alert_.device->host;
      alert_.account.sid.clear();
      alert_.account.upn.clear();
      alert_.account.object_id.clear();
    }

    add_machine();
    if (rng_.chance(kUserEntityShare)) add_user(kImpacted);

    const bool threat = rng_.chance(recipe.threat_share);
    const auto group = threat ? pool_.threats(platform) : pool_.clean(platform);
    const int skew = threat ? kThreatSkew : kCleanSkew;
    AlertFile main;
    switch (kind.recipe) {
      case Recipe::kCredentialTheft:
        main = draw_file(group, skew, platform,
                         [](const tools::PoolFile& f) { return f.threat_name.find("Hacktool") != std::string::npos; });
        break;
      case Recipe::kRansomware:
        main = draw_file(group, skew, platform, [](const tools::PoolFile& f) {
          return f.threat_name.find("Ransomware") != std::string::npos;
        });
        break;
      case Recipe::kOfficeChild:
      case Recipe::kNetwork:
      case Recipe::kMalwareFile: main = draw_file(group, skew, platform); break;
      default:  // living off the land: scripts and libraries that a system binary runs
        main = draw_file(group, skew, platform, [](const tools::PoolFile& f) {
          return f.file_type == "Text" || f.file_subtype == "Dll" || f.file_type == "ELF";
        });
        break;
    }
    // Defender names a family for every detection, a generic one for files no feed knows.
    if (threat && main.family.empty()) main.family = kGenericFamily;
    place_dropped(main);
    add_file(main, kImpacted);

    // Who started it: an Office document's host, a system binary matched to the file's kind, or a shell.
    const bool launched = rng_.chance(recipe.launcher_share);
    const bool with_parent = rng_.chance(recipe.parent_share);
    if (kind.recipe == Recipe::kOfficeChild) {
      AlertFile document = draw_file(pool_.threats(Platform::kWindows), kThreatSkew, Platform::kWindows,
                                     [](const tools::PoolFile& f) { return f.file_subtype == "Word"; });
      place_dropped(document);
      add_file(document, kRelated);
      add_system_process(Binary::kWinword, kRelated, &document);
      add_system_process(rng_.chance(kCoinFlip) ? Binary::kPowerShell : Binary::kCmd, kImpacted, &main);
    } else if (launched) {
      const Binary launcher = launcher_for(main);
      add_system_process(launcher, kImpacted, &main);
      if (with_parent && launcher != Binary::kExplorer) add_system_process(parent_for(main), kRelated, nullptr);
    }
    if (main.executable() && rng_.chance(recipe.runs_share)) {
      add_process(main, kImpacted, main.platform == Platform::kLinux ? main.path() : "\"" + main.path() + "\"");
    }
    if (kind.recipe == Recipe::kCredentialTheft) add_system_process(Binary::kLsass, kRelated, nullptr);
    if (kind.footprint == Footprint::kScheduledTask) add_system_process(Binary::kSchtasks, kRelated, &main);
    if (kind.footprint == Footprint::kRegistryValue) add_registry_value(main);

    const int related = uniform_int(rng_, 0, recipe.max_related_files);
    for (int i = 0; i < related; ++i) {
      if (kind.recipe == Recipe::kRansomware) {
        // What ransomware touches: the user's documents.
        AlertFile touched = draw_file(pool_.clean(platform), kCleanSkew, platform,
                                      [](const tools::PoolFile& f) { return f.file_type == "Document"; });
        touched.folder = folder_for(rng_.pick(kWindowsDocumentFolders));
        add_file(touched, kImpacted);
        continue;
      }
      const bool related_threat = rng_.chance(kThreatRelatedShare);
      AlertFile other = draw_file(related_threat ? pool_.threats(platform) : pool_.clean(platform),
                                  related_threat ? kThreatSkew : kCleanSkew, platform);
      place_dropped(other);
      add_file(other, kRelated);
    }
    if (rng_.chance(recipe.ip_share)) add_ip("Destination");
    if (rng_.chance(recipe.url_share)) add_url();
    return main.family;
  }

  Binary launcher_for(const AlertFile& file) {
    if (file.platform == Platform::kLinux) return Binary::kBash;
    const std::string_view subtype = file.file_subtype;
    if (subtype == "PowerShell") return Binary::kPowerShell;
    if (subtype == "JavaScript" || subtype == "VBScript") return Binary::kWscript;
    if (subtype == "Batch") return Binary::kCmd;
    if (subtype == "HTML") return Binary::kMshta;
    if (subtype == "Dll") return rng_.chance(kCoinFlip) ? Binary::kRundll32 : Binary::kRegsvr32;
    if (subtype == "Word") return Binary::kWinword;
    if (subtype == "Excel") return Binary::kExcel;
    if (subtype == "PDF") return Binary::kExplorer;
    constexpr std::array kExeLaunchers = {Binary::kCmd, Binary::kExplorer, Binary::kPowerShell};
    return rng_.pick(kExeLaunchers);
  }

  static Binary parent_for(const AlertFile& file) {
    if (file.platform == Platform::kLinux) return Binary::kSshd;
    // Documents and scripts mostly arrive by mail and are opened from it.
    return file.file_type == "Document" || file.file_type == "Text" ? Binary::kOutlook : Binary::kExplorer;
  }

  void add_registry_value(const AlertFile& target) {
    EvidenceRow row;
    row.entity = Entity::kRegistryValue;
    row.role = kImpacted;
    row.with_device = true;
    row.registry_key =
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SilentProcessExit\\lsass.exe";
    row.registry_value_name = "MonitorProcess";
    row.registry_value_data = target.path();
    JsonWriter json(row.additional_fields);
    json.begin_object().key("$id").value(next_ref()).key("Type").value("registry-value").end_object();
    alert_.rows.push_back(std::move(row));
  }

  //! Defender for Office 365: a message to a mailbox, with attachments or a link.
  std::string build_office(const AlertTemplate& kind) {
    set_account(draw_account_index());
    const std::string sender_name(rng_.pick(kSenderNames));
    const std::string sender = sender_name + "@" + bad_host(rng_);
    alert_.mail.network_message_id = random_uuid(rng_);
    const int number = uniform_int(rng_, kMinMessageNumber, kMaxMessageNumber);
    const int quarter = uniform_int(rng_, 1, kQuarters);
    std::string subject = replace_all(std::string(rng_.pick(kMailSubjects)), "{number}", std::to_string(number));
    subject = replace_all(std::move(subject), "{quarter}", std::to_string(quarter));
    alert_.mail.subject = replace_all(std::move(subject), "{company}", tenant_.company);

    EvidenceRow message;
    message.entity = Entity::kMailMessage;
    message.role = kImpacted;
    message.with_mail = true;
    message.with_application = true;
    message.with_account = true;
    const std::string received = iso_ticks(alert_.header.timestamp);
    const std::string_view location = rng_.pick(kDeliveryLocations);
    {
      JsonWriter json(message.additional_fields);
      json.begin_object()
          .key("$id")
          .value(next_ref())
          .key("Recipient")
          .value(alert_.account.upn)
          .key("Sender")
          .value(sender)
          .key("P1Sender")
          .value(sender)
          .key("ReceivedDate")
          .value(received)
          .key("DeliveryAction")
          .value("Delivered")
          .key("DeliveryLocation")
          .value(location)
          .key("Directionality")
          .value("Inbound")
          .key("Type")
          .value("mailMessage")
          .end_object();
    }
    alert_.rows.push_back(std::move(message));

    EvidenceRow mailbox;
    mailbox.entity = Entity::kMailbox;
    mailbox.role = kImpacted;
    mailbox.with_account = true;
    {
      JsonWriter json(mailbox.additional_fields);
      json.begin_object()
          .key("$id")
          .value(next_ref())
          .key("MailboxPrimaryAddress")
          .value(alert_.account.upn)
          .key("DisplayName")
          .value(alert_.account.display_name)
          .key("Upn")
          .value(alert_.account.upn)
          .key("Type")
          .value("mailbox")
          .end_object();
    }
    alert_.rows.push_back(std::move(mailbox));

    std::string family;
    if (kind.recipe == Recipe::kMailAttachment) {
      const int attachments = rng_.chance(kSecondAttachmentShare) ? 2 : 1;
      for (int i = 0; i < attachments; ++i) {
        const bool threat = i == 0 || rng_.chance(kThreatRelatedShare);
        AlertFile file = draw_file(threat ? pool_.threats(Platform::kWindows) : pool_.clean(Platform::kWindows),
                                   threat ? kThreatSkew : kCleanSkew, Platform::kWindows);
        // Mail attachments are hashed with SHA-256 only; they were never on a disk, so no folder.
        file.with_sha1 = false;
        file.with_sha256 = true;
        file.md5_in_additional = false;
        if (threat && file.family.empty()) file.family = kGenericFamily;
        if (i == 0) family = file.family;
        EvidenceRow row = file_row(file, Entity::kFile, kImpacted);
        row.with_account = false;
        row.with_mail = true;
        alert_.rows.push_back(std::move(row));
      }
    } else {
      add_url();
    }
    if (rng_.chance(kSenderIpShare)) add_ip("Source");
    return family;
  }

  //! Entra ID Protection: an account signing in from a bad address. No device, no files.
  void build_sign_in() {
    set_account(draw_account_index());
    alert_.account.domain = tenant_.domain;
    alert_.account.sid.clear();
    add_user(kImpacted);
    add_ip("Source");
    if (rng_.chance(kSecondSignInShare)) add_ip("Source");
  }

  const Tenant& tenant_;
  const FilePool& pool_;
  Prng rng_;
  BuiltAlert alert_;
  int refs_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Writing records.

void null_or(JsonWriter& json, std::string_view key, std::string_view text) {
  json.key(key);
  if (text.empty()) {
    json.null();
  } else {
    json.value(text);
  }
}

class RecordWriter {
 public:
  RecordWriter(JsonWriter& json, const Tenant& tenant, const BuiltAlert& alert)
      : json_(json), tenant_(tenant), alert_(alert) {
    const AlertTemplate& kind = *alert.header.kind;
    timestamp_ = iso_ticks(alert.header.timestamp);
    received_ = iso_ticks(alert.header.received);
    categories_ = "[\"" + std::string(kind.category) + "\"]";
    if (alert.device) machine_group_ = alert.device->group;
  }

  void write_all() {
    size_t next_time = 0;
    if (!alert_.header.info_last) write_info(alert_.record_times.back());
    for (const auto& row : alert_.rows) write_evidence(row, alert_.record_times[next_time++]);
    if (alert_.header.info_last) write_info(alert_.record_times.back());
  }

 private:
  // The envelope as Event Hubs delivers it: documented keys, plus operationName, _TimeReceivedBySvc
  // and Tenant, which every real capture carries.
  void begin_record(std::string_view category, int64_t time) {
    json_.begin_object()
        .key("time")
        .value(iso_ticks(time))
        .key("tenantId")
        .value(tenant_.id)
        .key("operationName")
        .value("Publish")
        .key("category")
        .value(category)
        .key("_TimeReceivedBySvc")
        .value(received_)
        .key("properties")
        .begin_object();
  }

  void end_record() { json_.end_object().key("Tenant").value("DefaultTenant").end_object(); }

  void write_info(int64_t time) {
    const AlertTemplate& kind = *alert_.header.kind;
    begin_record(kInfoCategory, time);
    json_.key("Timestamp").value(timestamp_);
    json_.key("AlertId").value(alert_.header.id);
    json_.key("Title").value(alert_.title);
    json_.key("Category").value(kind.category);
    json_.key("Severity").value(kind.severity);
    json_.key("ServiceSource").value(service_source(kind.source));
    json_.key("DetectionSource").value(kind.detection_source);
    json_.key("AttackTechniques").value(kind.techniques);
    null_or(json_, "MachineGroup", machine_group_);
    end_record();
  }

  // Every documented column, in the documented order; empty ones null, as in the captures.
  void write_evidence(const EvidenceRow& row, int64_t time) {
    const AlertTemplate& kind = *alert_.header.kind;
    const AccountColumns& account = alert_.account;
    const Device* device = row.with_device && alert_.device ? &*alert_.device : nullptr;
    const bool mail = row.with_mail;
    begin_record(kEvidenceCategory, time);
    json_.key("Timestamp").value(timestamp_);
    json_.key("AlertId").value(alert_.header.id);
    json_.key("Title").value(alert_.title);
    json_.key("Categories").value(categories_);
    json_.key("AttackTechniques").value(kind.techniques);
    json_.key("ServiceSource").value(service_source(kind.source));
    json_.key("DetectionSource").value(kind.detection_source);
    json_.key("EntityType").value(entity_name(row.entity));
    json_.key("EvidenceRole").value(row.role);
    null_or(json_, "EvidenceDirection", row.direction);
    null_or(json_, "FileName", row.file_name);
    null_or(json_, "FolderPath", row.folder_path);
    null_or(json_, "SHA1", row.sha1);
    null_or(json_, "SHA256", row.sha256);
    json_.key("FileSize");
    if (row.file_size > 0) {
      json_.value(static_cast<int64_t>(row.file_size));
    } else {
      json_.null();
    }
    null_or(json_, "ThreatFamily", row.threat_family);
    null_or(json_, "RemoteIP", row.remote_ip);
    null_or(json_, "RemoteUrl", row.remote_url);
    null_or(json_, "AccountName", row.with_account ? account.name : "");
    null_or(json_, "AccountDomain", row.with_account ? account.domain : "");
    null_or(json_, "AccountSid", row.with_account ? account.sid : "");
    null_or(json_, "AccountObjectId", row.with_account ? account.object_id : "");
    null_or(json_, "AccountUpn", row.with_account ? account.upn : "");
    null_or(json_, "DeviceId", device ? std::string_view(device->id) : "");
    null_or(json_, "DeviceName", device ? std::string_view(device->fqdn) : "");
    null_or(json_, "LocalIP", device ? std::string_view(device->local_ip) : "");
    null_or(json_, "NetworkMessageId", mail ? alert_.mail.network_message_id : "");
    null_or(json_, "EmailSubject", mail ? alert_.mail.subject : "");
    null_or(json_, "Application", row.with_application ? "Microsoft Exchange Online" : "");
    json_.key("ApplicationId");
    if (row.with_application) {
      json_.value(kExchangeOnlineAppId);
    } else {
      json_.null();
    }
    json_.key("OAuthApplicationId").null();
    null_or(json_, "ProcessCommandLine", row.command_line);
    null_or(json_, "RegistryKey", row.registry_key);
    null_or(json_, "RegistryValueName", row.registry_value_name);
    null_or(json_, "RegistryValueData", row.registry_value_data);
    null_or(json_, "AdditionalFields", row.additional_fields);
    json_.key("Severity").value(kind.severity);
    // Cloud columns: null or "" when unused, exactly as the Entra ID Protection capture shows them.
    json_.key("CloudResource").null();
    json_.key("CloudPlatform").value("");
    json_.key("ResourceType").null();
    json_.key("ResourceID").null();
    json_.key("SubscriptionId").value("");
    null_or(json_, "MachineGroup", machine_group_);
    end_record();
  }

  JsonWriter& json_;
  const Tenant& tenant_;
  const BuiltAlert& alert_;
  std::string timestamp_;
  std::string received_;
  std::string categories_;
  std::string machine_group_;
};

uint64_t alerts_per_message(const DefenderGeneratorOptions& options) {
  return std::max<uint64_t>(options.alerts_per_message, 1);
}

}  // namespace

uint64_t defender_message_count(const DefenderGeneratorOptions& options) {
  const uint64_t per_message = alerts_per_message(options);
  return options.alert_count / per_message + (options.alert_count % per_message != 0 ? 1 : 0);
}

std::string generate_defender_message(const DefenderGeneratorOptions& options, uint64_t message_index) {
  const Tenant tenant = tenant_for(options.seed);
  const FilePool& pool = FilePool::of(options.report_seed);
  const uint64_t per_message = alerts_per_message(options);
  const uint64_t first = message_index * per_message;
  const uint64_t last = std::min(first + per_message, options.alert_count);

  std::string out;
  JsonWriter json(out);
  json.begin_object().key("records").begin_array();
  for (uint64_t n = first; n < last; ++n) {
    const BuiltAlert alert = AlertBuilder(tenant, pool, n).build();
    RecordWriter(json, tenant, alert).write_all();
  }
  json.end_array().end_object();
  out.push_back('\n');
  return out;
}

std::string defender_alert_id(const DefenderGeneratorOptions& options, uint64_t alert_index) {
  const Tenant tenant = tenant_for(options.seed);
  Prng rng(derive(options.seed, Stream::kAlert, alert_index));
  return draw_header(rng, tenant, alert_index).id;
}

}  // namespace sb::tools
