// Tenant, devices and accounts drawn from the seed, each from its own stream so any one is cheap to rebuild.
#include "tools/generators/fleet.hpp"

#include "core/prng.hpp"
#include "core/text.hpp"
#include "tools/generators/alert_catalogues.hpp"
#include "tools/generators/random_text.hpp"

namespace sb::tools::alert_gen {
namespace {

// Stream ids for derive_seed; the alert generator's streams start after these.
enum class Stream : uint64_t { kTenant = 1, kDevice, kAccount };

constexpr int64_t kEpoch2024 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr int64_t kTicksPerSecond = 10'000'000;
constexpr int64_t kStartSpread = 365LL * 86400;  // tenants start anywhere in 2024
constexpr double kMachineGroupShare = 0.5;
constexpr double kLinuxShare = 0.12;
constexpr double kServerShare = 0.15;
constexpr double kLaptopShare = 0.4;
constexpr int kOctetMax = 254;
constexpr int kPrivateNet = 10;  // 10.0.0.0/8
constexpr int kDeviceIdDigits = 40;
constexpr size_t kHostTokenLength = 7;  // Windows setup names machines DESKTOP-XXXXXXX
constexpr int kMaxHostNumber = 40;
constexpr int kMaxSidPart = 2147483647;
constexpr int kMinSidPart = 100000000;
constexpr uint64_t kFirstUserRid = 1104;  // RIDs below ~1100 belong to built-in accounts

uint64_t derive(uint64_t seed, Stream stream, uint64_t index) {
  return core::derive_seed(seed, static_cast<uint64_t>(stream), index);
}

}  // namespace

Tenant tenant_for(uint64_t seed) {
  core::Prng rng(derive(seed, Stream::kTenant, 0));
  Tenant tenant;
  tenant.seed = seed;
  tenant.id = random_uuid(rng);
  tenant.company = std::string(rng.pick(kCompanies));
  std::string label;
  for (const char c : tenant.company) {
    if (c != ' ') label.push_back(c);
  }
  tenant.domain = core::ascii_lower(label) + ".com";
  tenant.netbios = label;
  for (auto& c : tenant.netbios) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  // One statement per draw: the evaluation order of function arguments differs between compilers.
  const int a = uniform_int(rng, kMinSidPart, kMaxSidPart);
  const int b = uniform_int(rng, kMinSidPart, kMaxSidPart);
  const int c = uniform_int(rng, kMinSidPart, kMaxSidPart);
  tenant.domain_sid = "S-1-5-21-" + std::to_string(a) + "-" + std::to_string(b) + "-" + std::to_string(c);
  tenant.machine_groups = rng.chance(kMachineGroupShare);
  tenant.net_b = uniform_int(rng, 0, kOctetMax);
  tenant.start_ticks = (kEpoch2024 + rng.uniform(0, kStartSpread)) * kTicksPerSecond;
  return tenant;
}

Device device_for(const Tenant& tenant, uint64_t index) {
  core::Prng rng(derive(tenant.seed, Stream::kDevice, index));
  Device device;
  device.index = index;
  device.platform = rng.chance(kLinuxShare) ? Platform::kLinux : Platform::kWindows;
  device.id = random_chars(rng, kLowerHex, kDeviceIdDigits);
  // One draw per statement: the evaluation order of operands and arguments differs between compilers.
  if (device.platform == Platform::kLinux) {
    const std::string role(rng.pick(kLinuxHostRoles));
    const int number = uniform_int(rng, 1, kMaxHostNumber);
    device.host = role + "-" + std::to_string(number);
    device.os_version = std::string(rng.pick(kLinuxVersions));
  } else if (rng.chance(kServerShare)) {
    const std::string role(rng.pick(kServerRoles));
    const int number = uniform_int(rng, 1, kMaxHostNumber);
    device.host = "srv-" + role + "-" + std::to_string(number);
    device.os_version = std::string(rng.pick(kServerVersions));
  } else {
    const std::string prefix = rng.chance(kLaptopShare) ? "laptop-" : "desktop-";
    device.host = prefix + random_chars(rng, kLowerAlnum, kHostTokenLength);
    device.os_version = std::string(rng.pick(kWindowsVersions));
  }
  device.fqdn = device.host + "." + tenant.domain;
  const int c = uniform_int(rng, 0, kOctetMax);
  const int d = uniform_int(rng, 1, kOctetMax);
  device.local_ip = ipv4(kPrivateNet, tenant.net_b, c, d);
  if (tenant.machine_groups) device.group = std::string(rng.pick(kMachineGroups));
  device.build = uniform_int(rng, 0, kSystemBuilds - 1);
  device.owner = index % kAccountCount;
  return device;
}

Account account_for(const Tenant& tenant, uint64_t index) {
  core::Prng rng(derive(tenant.seed, Stream::kAccount, index));
  const std::string first(rng.pick(kFirstNames));
  const std::string last(rng.pick(kLastNames));
  Account account;
  // The index keeps names unique when two people share first initial and last name.
  account.name = core::ascii_lower(first.substr(0, 1) + last) + std::to_string(index);
  account.display_name = first + " " + last;
  account.upn = core::ascii_lower(first + "." + last) + std::to_string(index) + "@" + tenant.domain;
  account.sid = tenant.domain_sid + "-" + std::to_string(kFirstUserRid + index);
  account.object_id = random_uuid(rng);
  return account;
}

}  // namespace sb::tools::alert_gen
