// Catalogues for the Defender alert generator: alert kinds, system binaries, people, places and mail.
// Data only; the generator draws from it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sb::tools::alert_gen {

using namespace std::string_view_literals;

enum class Source : uint8_t { kEndpoint, kOffice, kIdentityProtection };

//! How an alert's entities are put together; each template names one.
enum class Recipe : uint8_t {
  kMalwareFile,      // antivirus verdict on one file, sometimes caught running
  kScriptExecution,  // a system binary runs a script or a library (living off the land)
  kOfficeChild,      // an Office application starts a shell that drops a payload
  kCredentialTheft,  // a hacktool reads LSASS memory
  kRansomware,       // a binary encrypts user documents
  kNetwork,          // a process talks to a known bad address
  kMailAttachment,   // Defender for Office 365: a message with attachments
  kMailUrl,          // Defender for Office 365: a message with a link, no files
  kRiskySignIn,      // Entra ID Protection: an account and an address, no files
};

//! What a persistence alert leaves behind, as an extra evidence row.
enum class Footprint : uint8_t { kNone, kScheduledTask, kRegistryValue };

struct AlertTemplate {
  Source source;
  Recipe recipe;
  std::string_view title;  // "{family}" becomes the threat family of the alert's main file
  std::string_view category;
  std::string_view detection_source;
  std::string_view severity;
  std::string_view techniques;  // a JSON array as text, or "": both occur in real records
  int weight;                   // relative frequency
  Footprint footprint = Footprint::kNone;
};

// Titles, categories and technique lists follow real Defender XDR alerts; weights give roughly
// three endpoint alerts for every mail or identity alert, as in a typical tenant.
inline constexpr auto kAlertTemplates = std::to_array<AlertTemplate>({
    {Source::kEndpoint, Recipe::kMalwareFile, "'{family}' malware was detected", "Malware", "Antivirus",
     "Informational", "", 14},
    {Source::kEndpoint, Recipe::kMalwareFile, "'{family}' malware was prevented", "Malware", "Antivirus", "Low", "",
     12},
    {Source::kEndpoint, Recipe::kMalwareFile, "An active '{family}' malware was detected", "Malware", "Antivirus",
     "High", "", 5},
    {Source::kEndpoint, Recipe::kScriptExecution, "Suspicious PowerShell command line", "Execution", "EDR", "Medium",
     R"json(["PowerShell (T1059.001)","Command and Scripting Interpreter (T1059)"])json", 8},
    {Source::kEndpoint, Recipe::kScriptExecution, "Use of living-off-the-land binary to run malicious code",
     "DefenseEvasion", "EDR", "Medium",
     R"json(["Signed Binary Proxy Execution (T1218)","Rundll32 (T1218.011)","Regsvr32 (T1218.010)"])json", 5},
    {Source::kEndpoint, Recipe::kScriptExecution, "Anomalous silent process exit monitor registration", "Persistence",
     "EDR", "Medium", R"json(["Image File Execution Options Injection (T1546.012)"])json", 3,
     Footprint::kRegistryValue},
    {Source::kEndpoint, Recipe::kScriptExecution, "Suspicious scheduled task", "Persistence", "EDR", "Low",
     R"json(["Scheduled Task (T1053.005)"])json", 3, Footprint::kScheduledTask},
    {Source::kEndpoint, Recipe::kOfficeChild, "Suspicious behavior by Microsoft Word was observed", "Execution", "EDR",
     "Medium",
     R"json(["User Execution (T1204)","Malicious File (T1204.002)","Spearphishing Attachment (T1566.001)"])json", 5},
    {Source::kEndpoint, Recipe::kCredentialTheft, "Suspicious access to LSASS service", "CredentialAccess", "EDR",
     "High", R"json(["OS Credential Dumping (T1003)","LSASS Memory (T1003.001)"])json", 3},
    {Source::kEndpoint, Recipe::kRansomware, "Ransomware behavior detected in the file system", "Ransomware", "EDR",
     "High", R"json(["Data Encrypted for Impact (T1486)"])json", 2},
    {Source::kEndpoint, Recipe::kNetwork, "Connection to a custom network indicator", "CommandAndControl", "Custom TI",
     "Medium", R"json(["Application Layer Protocol (T1071)","Web Protocols (T1071.001)"])json", 4},
    {Source::kEndpoint, Recipe::kScriptExecution, "Suspicious process injection observed", "DefenseEvasion", "EDR",
     "Medium", R"json(["Process Injection (T1055)"])json", 3},
    {Source::kOffice, Recipe::kMailAttachment, "Email messages containing malicious file removed after delivery",
     "InitialAccess", "Microsoft Defender for Office 365", "Informational", "", 6},
    {Source::kOffice, Recipe::kMailAttachment, "Email messages containing malware removed after delivery",
     "InitialAccess", "Microsoft Defender for Office 365", "Informational", "", 4},
    {Source::kOffice, Recipe::kMailAttachment, "Email reported by user as malware or phish", "InitialAccess",
     "Microsoft Defender for Office 365", "Informational", "", 3},
    {Source::kOffice, Recipe::kMailUrl, "A potentially malicious URL click was detected", "InitialAccess",
     "Microsoft Defender for Office 365", "High", R"json(["Spearphishing Link (T1566.002)"])json", 2},
    {Source::kIdentityProtection, Recipe::kRiskySignIn, "Malicious IP address", "InitialAccess",
     "AAD Identity Protection", "High", "", 2},
    {Source::kIdentityProtection, Recipe::kRiskySignIn, "Unfamiliar sign-in properties", "InitialAccess",
     "AAD Identity Protection", "Medium", "", 3},
    {Source::kIdentityProtection, Recipe::kRiskySignIn, "Atypical travel", "InitialAccess", "AAD Identity Protection",
     "Medium", "", 2},
    {Source::kIdentityProtection, Recipe::kRiskySignIn, "Anonymous IP address", "InitialAccess",
     "AAD Identity Protection", "Low", "", 2},
});

inline constexpr std::string_view service_source(Source source) {
  switch (source) {
    case Source::kEndpoint: return "Microsoft Defender for Endpoint";
    case Source::kOffice: return "Microsoft Defender for Office 365";
    case Source::kIdentityProtection: return "AAD Identity Protection";
  }
  return "";
}

//! How often an endpoint recipe adds each kind of entity.
struct EndpointRecipe {
  double threat_share;    // the main file comes from the threats (else from clean or unknown files)
  double runs_share;      // the main file also appears as the Process that ran
  double launcher_share;  // a system binary that opened or ran the main file appears as a Process
  double parent_share;    // the launcher's own parent appears too
  int max_related_files;  // dropped payloads, the archive it came in, touched documents
  double ip_share;
  double url_share;
};

inline constexpr EndpointRecipe endpoint_recipe(Recipe recipe) {
  switch (recipe) {
    case Recipe::kMalwareFile: return {1.0, 0.35, 0.3, 0.3, 1, 0.05, 0.1};
    case Recipe::kScriptExecution: return {0.65, 0.2, 1.0, 0.6, 2, 0.35, 0.25};
    case Recipe::kOfficeChild: return {0.75, 0.5, 1.0, 1.0, 2, 0.3, 0.4};
    case Recipe::kCredentialTheft: return {0.9, 1.0, 0.5, 0.4, 1, 0.0, 0.0};
    case Recipe::kRansomware: return {1.0, 1.0, 0.6, 0.5, 3, 0.1, 0.0};
    case Recipe::kNetwork: return {0.6, 0.7, 0.4, 0.3, 1, 1.0, 0.6};
    default: return {1.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0};
  }
}

// ---------------------------------------------------------------------------------------------
// System binaries: the processes that open, run or host what an alert is about.

enum class Binary : uint8_t {
  kPowerShell,
  kCmd,
  kWscript,
  kRundll32,
  kRegsvr32,
  kMshta,
  kExplorer,
  kWinword,
  kExcel,
  kOutlook,
  kLsass,
  kSchtasks,
  kBash,
  kSshd,
};

struct SystemBinary {
  std::string_view name;
  std::string_view folder;
  std::string_view command;  // "{path}" becomes the full path of the file it acts on
  bool linux_os;
};

inline constexpr auto kSystemBinaries = std::to_array<SystemBinary>({
    {"powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
     "powershell.exe -NoProfile -ExecutionPolicy Bypass -WindowStyle Hidden -File \"{path}\"", false},
    {"cmd.exe", "C:\\Windows\\System32", "cmd.exe /c \"{path}\"", false},
    {"wscript.exe", "C:\\Windows\\System32", "wscript.exe //B \"{path}\"", false},
    {"rundll32.exe", "C:\\Windows\\System32", "rundll32.exe \"{path}\",DllRegisterServer", false},
    {"regsvr32.exe", "C:\\Windows\\System32", "regsvr32.exe /s /i \"{path}\"", false},
    {"mshta.exe", "C:\\Windows\\System32", "mshta.exe \"{path}\"", false},
    {"explorer.exe", "C:\\Windows", "C:\\Windows\\Explorer.EXE", false},
    {"WINWORD.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16",
     "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"{path}\" /o \"\"", false},
    {"EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16",
     "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" \"{path}\"", false},
    {"OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16",
     "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\"", false},
    {"lsass.exe", "C:\\Windows\\System32", "C:\\Windows\\system32\\lsass.exe", false},
    {"schtasks.exe", "C:\\Windows\\System32",
     "schtasks.exe /create /sc onlogon /tn \"OneDrive Reporting Task\" /tr \"{path}\" /f", false},
    {"bash", "/usr/bin", "/bin/bash -c \"chmod +x {path} && {path}\"", true},
    {"sshd", "/usr/sbin", "sshd: root@pts/0", true},
});
static_assert(kSystemBinaries.size() == static_cast<size_t>(Binary::kSshd) + 1);
static_assert(kSystemBinaries[static_cast<size_t>(Binary::kLsass)].name == "lsass.exe");

// ---------------------------------------------------------------------------------------------
// Where files land.

inline constexpr std::array kWindowsDropFolders = {
    "C:\\Users\\{user}\\Downloads"sv,
    "C:\\Users\\{user}\\AppData\\Local\\Temp"sv,
    "C:\\Users\\{user}\\AppData\\Roaming\\Microsoft"sv,
    "C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\{token}"sv,
    "C:\\Users\\{user}\\Desktop"sv,
    "C:\\Users\\Public\\Documents"sv,
    "C:\\ProgramData\\{token}"sv,
    "C:\\Windows\\Temp"sv,
};
inline constexpr std::array kWindowsDocumentFolders = {
    "C:\\Users\\{user}\\Documents"sv,
    "C:\\Users\\{user}\\Desktop"sv,
    "C:\\Users\\{user}\\OneDrive - {company}\\Documents"sv,
};
inline constexpr std::array kLinuxDropFolders = {"/tmp"sv, "/var/tmp"sv, "/dev/shm"sv, "/home/{user}/.cache"sv,
                                                 "/usr/local/bin"sv};

//! A kind of file nobody has seen before (not in the shared pool), typed like pool files.
struct FreshKind {
  std::string_view extension;
  std::string_view file_type;
  std::string_view file_subtype;
};
// Repeated entries weight the draw.
inline constexpr auto kFreshWindowsKinds = std::to_array<FreshKind>({
    {".exe", "PE", "Exe"},
    {".exe", "PE", "Exe"},
    {".exe", "PE", "Exe"},
    {".dll", "PE", "Dll"},
    {".tmp", "Binary", "None"},
    {".js", "Text", "JavaScript"},
    {".ps1", "Text", "PowerShell"},
    {".vbs", "Text", "VBScript"},
});
inline constexpr FreshKind kFreshLinuxKind = {"", "ELF", "Executable"};

//! The family Defender names when it has only a generic verdict (its machine-learning detections).
inline constexpr std::string_view kGenericFamily = "Wacatac";

// ---------------------------------------------------------------------------------------------
// People, devices, places.

// Microsoft's own fictitious companies, so generated data never names a real one.
inline constexpr std::array kCompanies = {"Contoso"sv,   "Fabrikam"sv,      "Northwind"sv, "Adatum"sv,
                                          "Woodgrove"sv, "Tailspin"sv,      "Litware"sv,   "Wingtip"sv,
                                          "Proseware"sv, "Fourth Coffee"sv, "Lamna"sv,     "Relecloud"sv};
inline constexpr std::array kFirstNames = {
    "Anna"sv,   "Ben"sv,   "Chen"sv, "Dana"sv,   "Elif"sv,  "Farid"sv, "Grace"sv, "Hugo"sv,  "Ines"sv,
    "Jonas"sv,  "Kenji"sv, "Lena"sv, "Marco"sv,  "Nadia"sv, "Omar"sv,  "Petra"sv, "Quinn"sv, "Rosa"sv,
    "Sanjay"sv, "Tomas"sv, "Uma"sv,  "Victor"sv, "Wen"sv,   "Yusuf"sv, "Zara"sv};
inline constexpr std::array kLastNames = {"Adams"sv,  "Bauer"sv,  "Costa"sv,  "Dubois"sv, "Eriksen"sv,  "Fischer"sv,
                                          "Garcia"sv, "Horvat"sv, "Ito"sv,    "Jensen"sv, "Kowalski"sv, "Larsen"sv,
                                          "Moreau"sv, "Novak"sv,  "Okafor"sv, "Petrov"sv, "Rossi"sv,    "Silva"sv,
                                          "Tanaka"sv, "Varga"sv,  "Weber"sv,  "Yilmaz"sv, "Zhang"sv};
inline constexpr std::array kMachineGroups = {"Workstations"sv, "Servers"sv, "Finance"sv, "Engineering"sv,
                                              "Executives"sv};
inline constexpr std::array kServerRoles = {"app"sv, "sql"sv, "file"sv, "web"sv, "dc"sv, "build"sv};
inline constexpr std::array kLinuxHostRoles = {"web"sv, "api"sv, "db"sv, "ci"sv, "k8s-node"sv, "cache"sv};
inline constexpr std::array kWindowsVersions = {"10.0.19045"sv, "10.0.22621"sv, "10.0.22631"sv, "10.0.26100"sv};
inline constexpr std::array kServerVersions = {"10.0.17763"sv, "10.0.20348"sv};
inline constexpr std::array kLinuxVersions = {"Ubuntu 22.04"sv, "Ubuntu 24.04"sv, "RHEL 9.4"sv, "Debian 12"sv};

struct Place {
  std::string_view country_code;
  std::string_view state;
  std::string_view city;
};
inline constexpr auto kPlaces = std::to_array<Place>({
    {"NL", "Noord-Holland", "Amsterdam"},
    {"DE", "Hessen", "Frankfurt am Main"},
    {"US", "Virginia", "Ashburn"},
    {"RU", "Moscow", "Moscow"},
    {"CN", "Beijing", "Beijing"},
    {"BR", "Sao Paulo", "Sao Paulo"},
    {"NG", "Lagos", "Lagos"},
    {"RO", "Bucuresti", "Bucharest"},
    {"SG", "Singapore", "Singapore"},
    {"VN", "Ho Chi Minh", "Ho Chi Minh City"},
});

// Addresses attackers use: bulletproof hosting ranges, cloud VPS blocks, Tor exits (first octet
// only).
inline constexpr std::array kBadFirstOctets = {5, 31, 45, 80, 91, 103, 146, 176, 185, 193, 194, 212};

inline constexpr std::array kBadHostWords = {"update"sv, "cdn"sv,       "secure"sv, "login"sv, "docs"sv,
                                             "files"sv,  "telemetry"sv, "api"sv,    "sync"sv,  "static"sv};
inline constexpr std::array kBadTlds = {"top"sv, "xyz"sv, "ru"sv, "online"sv, "site"sv, "click"sv, "info"sv, "shop"sv};
inline constexpr std::array kBadPaths = {"gate.php"sv,
                                         "wp-content/plugins/x/load.php"sv,
                                         "download/invoice.zip"sv,
                                         "c2/beacon"sv,
                                         "panel/fre.php"sv,
                                         "o365/login.html"sv,
                                         "update.bin"sv,
                                         "jquery-3.3.1.min.js"sv};

inline constexpr std::array kMailSubjects = {"Invoice {number} overdue"sv,
                                             "Payment advice {number}"sv,
                                             "RE: Purchase order {number}"sv,
                                             "Your parcel could not be delivered"sv,
                                             "Shared document: Q{quarter} results"sv,
                                             "Action required: password expires today"sv,
                                             "Voicemail from +{number}"sv,
                                             "Updated bank details for {company}"sv};
inline constexpr std::array kSenderNames = {"accounts"sv, "billing"sv, "no-reply"sv,
                                            "support"sv,  "hr"sv,      "dhl-notify"sv};
inline constexpr std::array kDeliveryLocations = {"Inbox/folder"sv, "Junk folder"sv, "Quarantine"sv,
                                                  "Deleted folder"sv};

}  // namespace sb::tools::alert_gen
