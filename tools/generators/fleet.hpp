// The simulated tenant behind generated Defender alerts: its id, domain, devices and accounts.
#pragma once

#include <cstdint>
#include <string>

#include "tools/generators/file_pool.hpp"

namespace sb::tools::alert_gen {

//! Everything derived from the generator seed alone; cheap to rebuild, so it is not cached.
struct Tenant {
  uint64_t seed = 0;
  std::string id;               // tenantId GUID
  std::string company;          // "Contoso"
  std::string domain;           // "contoso.com"
  std::string netbios;          // "CONTOSO"
  std::string domain_sid;       // "S-1-5-21-a-b-c", the prefix of every account SID
  bool machine_groups = false;  // many tenants never set device groups: MachineGroup is then null
  int net_b = 0;                // devices live in 10.net_b.0.0/16
  int64_t start_ticks = 0;      // time of alert 0, 100 ns units since 1970
};

struct Device {
  uint64_t index = 0;
  Platform platform = Platform::kWindows;
  std::string id;    // DeviceId: 40 hex digits
  std::string host;  // "desktop-4k2j9qz"
  std::string fqdn;  // DeviceName: "desktop-4k2j9qz.contoso.com"
  std::string local_ip;
  std::string os_version;
  std::string group;   // empty when the tenant has no machine groups
  int build = 0;       // which build of the system binaries it runs
  uint64_t owner = 0;  // account index of its usual user
};

struct Account {
  std::string name;  // AccountName: "jsmith"
  std::string display_name;
  std::string upn;
  std::string sid;
  std::string object_id;
};

inline constexpr uint64_t kDeviceCount = 500;
inline constexpr uint64_t kAccountCount = 300;
inline constexpr int kSystemBuilds = 3;  // Windows builds in the fleet: one system-binary image each

Tenant tenant_for(uint64_t seed);
Device device_for(const Tenant& tenant, uint64_t index);
Account account_for(const Tenant& tenant, uint64_t index);

}  // namespace sb::tools::alert_gen
