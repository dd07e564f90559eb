// Catalogues for the report generator: file kinds, names, threat names, AV engines, indicators, strings.
// Data only; the generator draws from it. Included by report_generator.cpp alone.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace sb::tools::report_gen {

using namespace std::string_view_literals;

enum class Layout { kLeaf, kArchive, kBinaryLayer, kEmail };
enum class Body { kBinary, kText };

// Indicator groups, a bit set: which indicators fit which kind of file.
constexpr uint8_t kGroupAny = 1U << 0;
constexpr uint8_t kGroupPe = 1U << 1;
constexpr uint8_t kGroupScript = 1U << 2;
constexpr uint8_t kGroupDocument = 1U << 3;
constexpr uint8_t kGroupArchive = 1U << 4;

enum class KindId : uint8_t {
  kPeExe,
  kPeExe64,
  kPeDll,
  kPeInstaller,
  kElf,
  kApk,
  kZip,
  kRar,
  kSevenZip,
  kMsi,
  kEmail,
  kPdf,
  kWord,
  kExcel,
  kJavaScript,
  kPowerShell,
  kBatch,
  kVbScript,
  kHtml,
  kText,
  kXml,
  kPng,
  kJpeg,
  kData,
};

struct FileKind {
  std::string_view file_type;
  std::string_view file_subtype;
  std::string_view description;  // for the story: "This file (...) is a <description>."
  std::string_view extension;
  std::string_view threat_platform;  // empty: never carries a threat of its own
  std::string_view magic;
  int random_percent;  // share of incompressible chunks; drives the entropy of the content
  int max_size_octave;
  Body body;
  Layout layout;
  uint8_t groups;
  std::span<const std::string_view> names;
  std::span<const std::string_view> lines;
};

constexpr std::array kExeNames = {"setup"sv,  "update"sv,  "launcher"sv, "helper"sv, "agent"sv,
                                  "client"sv, "svchost"sv, "tool"sv,     "runner"sv, "service"sv};
constexpr std::array kDllNames = {"msvcp140"sv, "vcruntime140"sv, "libcrypto-3"sv, "sqlite3"sv,
                                  "zlib1"sv,    "plugin"sv,       "core"sv,        "libcurl"sv};
constexpr std::array kInstallerNames = {"setup"sv, "install"sv, "installer"sv, "update_setup"sv, "driver_setup"sv};
constexpr std::array kElfNames = {"agent"sv, "bot"sv, "sshd"sv, "x86_64"sv, "kworker"sv, "update"sv};
constexpr std::array kApkNames = {"app-release"sv, "wallpaper"sv, "flashlight"sv, "bank_update"sv};
constexpr std::array kArchiveNames = {"invoice"sv, "documents"sv, "order"sv,   "scan"sv,
                                      "photos"sv,  "backup"sv,    "project"sv, "release"sv};
constexpr std::array kMsiNames = {"setup"sv, "installer"sv, "package"sv, "agent_setup"sv, "client"sv};
constexpr std::array kEmailNames = {"message"sv, "invoice_notification"sv, "payment_advice"sv, "RE_order"sv,
                                    "FW_documents"sv};
constexpr std::array kDocumentNames = {"invoice"sv,  "statement"sv, "scan"sv,   "report"sv,
                                       "contract"sv, "resume"sv,    "manual"sv, "order_details"sv};
constexpr std::array kScriptNames = {"app"sv,     "bundle"sv, "loader"sv, "payment"sv,
                                     "install"sv, "run"sv,    "start"sv,  "jquery.min"sv};
constexpr std::array kTextNames = {"readme"sv, "license"sv, "notes"sv, "changelog"sv, "config"sv, "manifest"sv};
constexpr std::array kImageNames = {"logo"sv, "image001"sv, "banner"sv, "icon"sv, "photo"sv};
constexpr std::array kDataNames = {"data"sv, "payload"sv, "resource"sv, "blob"sv, "cache"sv};

constexpr std::array kJsLines = {"var _0x1f2a=['charCodeAt','fromCharCode','length'];"sv,
                                 "function init(){var s=new ActiveXObject('WScript.Shell');return s;}"sv,
                                 "document.addEventListener('DOMContentLoaded',function(){render();});"sv,
                                 "for(var i=0;i<data.length;i++){out+=String.fromCharCode(data[i]^key);}"sv,
                                 "module.exports={version:'2.4.1',build:function(opts){return opts;}};"sv};
constexpr std::array kPowerShellLines = {
    "$wc = New-Object System.Net.WebClient"sv, "Set-ExecutionPolicy -Scope Process -ExecutionPolicy Bypass -Force"sv,
    "$path = Join-Path $env:TEMP 'update.exe'"sv,
    "Get-ChildItem -Path $root -Recurse | Where-Object { $_.Length -gt 0 }"sv, "Start-Sleep -Seconds 5"sv};
constexpr std::array kBatchLines = {"@echo off"sv, "set TARGET=%APPDATA%\\Microsoft\\update"sv,
                                    "if not exist \"%TARGET%\" mkdir \"%TARGET%\""sv,
                                    "copy /y \"%~dp0agent.exe\" \"%TARGET%\""sv, "timeout /t 3 /nobreak > nul"sv};
constexpr std::array kVbsLines = {"Set objShell = CreateObject(\"WScript.Shell\")"sv,
                                  "Dim fso : Set fso = CreateObject(\"Scripting.FileSystemObject\")"sv,
                                  "strPath = objShell.ExpandEnvironmentStrings(\"%TEMP%\")"sv,
                                  "If fso.FileExists(strPath) Then WScript.Quit"sv, "WScript.Sleep 2000"sv};
constexpr std::array kHtmlLines = {"<div class=\"container\"><p>Please sign in to continue.</p></div>"sv,
                                   "<script src=\"https://cdn.jsdelivr.net/npm/jquery@3.7.1\"></script>"sv,
                                   "<form action=\"login.php\" method=\"post\">"sv,
                                   "<input type=\"password\" name=\"pass\" placeholder=\"Password\">"sv,
                                   "<meta name=\"viewport\" content=\"width=device-width\">"sv};
constexpr std::array kXmlLines = {"  <dependency name=\"Microsoft.Windows.Common-Controls\"/>"sv,
                                  "  <requestedExecutionLevel level=\"asInvoker\" uiAccess=\"false\"/>"sv,
                                  "  <setting key=\"UpdateInterval\" value=\"3600\"/>"sv,
                                  "  <item id=\"42\" enabled=\"true\"/>"sv};
constexpr std::array kProseLines = {
    "Please find the attached document and confirm receipt at your earliest convenience."sv,
    "This software is provided as is, without warranty of any kind."sv,
    "Installation: extract the archive and run setup with administrator rights."sv,
    "Kind regards, Accounts Payable Department"sv,
    "Version 2.4.1 fixes several stability issues and updates translations."sv};

constexpr uint8_t kPeGroups = kGroupAny | kGroupPe;
constexpr uint8_t kScriptGroups = kGroupAny | kGroupScript;
constexpr uint8_t kDocumentGroups = kGroupAny | kGroupDocument;
constexpr uint8_t kArchiveGroups = kGroupAny | kGroupArchive;

constexpr std::span<const std::string_view> kNoLines{};

// Sizes are 200 B << octave, so octave 12 tops out near 1.6 MB.
constexpr auto kKinds = std::to_array<FileKind>({
    {"PE", "Exe", "32-bit portable executable application", ".exe", "Win32", "MZ\x90\x00"sv, 55, 12, Body::kBinary,
     Layout::kLeaf, kPeGroups, kExeNames, kNoLines},
    {"PE", "Exe", "64-bit portable executable application", ".exe", "Win64", "MZ\x90\x00"sv, 55, 12, Body::kBinary,
     Layout::kLeaf, kPeGroups, kExeNames, kNoLines},
    {"PE", "Dll", "32-bit portable executable dynamic link library", ".dll", "Win32", "MZ\x90\x00"sv, 50, 12,
     Body::kBinary, Layout::kLeaf, kPeGroups, kDllNames, kNoLines},
    {"PE", "Exe", "32-bit portable executable application (installer)", ".exe", "Win32", "MZ\x90\x00"sv, 85, 12,
     Body::kBinary, Layout::kBinaryLayer, kPeGroups, kInstallerNames, kNoLines},
    {"ELF", "Executable", "ELF executable", "", "Linux", "\x7f\x45LF\x02\x01\x01"sv, 50, 11, Body::kBinary,
     Layout::kLeaf, kPeGroups, kElfNames, kNoLines},
    {"Archive", "APK", "Android application package", ".apk", "Android", "PK\x03\x04"sv, 90, 12, Body::kBinary,
     Layout::kLeaf, kPeGroups, kApkNames, kNoLines},
    {"Archive", "ZIP", "ZIP archive", ".zip", "", "PK\x03\x04"sv, 95, 12, Body::kBinary, Layout::kArchive,
     kArchiveGroups, kArchiveNames, kNoLines},
    {"Archive", "RAR", "RAR archive", ".rar", "", "Rar!\x1a\x07\x01\x00"sv, 97, 12, Body::kBinary, Layout::kArchive,
     kArchiveGroups, kArchiveNames, kNoLines},
    {"Archive", "7ZIP", "7-Zip archive", ".7z", "", "7z\xbc\xaf\x27\x1c"sv, 97, 12, Body::kBinary, Layout::kArchive,
     kArchiveGroups, kArchiveNames, kNoLines},
    {"Binary", "MSI", "Windows Installer package", ".msi", "", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv, 80, 12,
     Body::kBinary, Layout::kArchive, kArchiveGroups, kMsiNames, kNoLines},
    {"Text", "Email", "email message", ".eml", "", "Received: from mail.example.com\n"sv, 30, 11, Body::kText,
     Layout::kEmail, kArchiveGroups, kEmailNames, kProseLines},
    {"Document", "PDF", "PDF document", ".pdf", "Document-PDF", "%PDF-1.7\n"sv, 70, 11, Body::kBinary, Layout::kLeaf,
     kDocumentGroups, kDocumentNames, kNoLines},
    {"Document", "Word", "Microsoft Word document", ".doc", "Document-Word", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv, 45,
     10, Body::kBinary, Layout::kLeaf, kDocumentGroups, kDocumentNames, kNoLines},
    {"Document", "Excel", "Microsoft Excel spreadsheet", ".xlsm", "Document-Excel", "PK\x03\x04"sv, 85, 10,
     Body::kBinary, Layout::kLeaf, kDocumentGroups, kDocumentNames, kNoLines},
    {"Text", "JavaScript", "JavaScript file", ".js", "Script-JS", "", 4, 9, Body::kText, Layout::kLeaf, kScriptGroups,
     kScriptNames, kJsLines},
    {"Text", "PowerShell", "PowerShell script", ".ps1", "Script-PowerShell", "", 4, 7, Body::kText, Layout::kLeaf,
     kScriptGroups, kScriptNames, kPowerShellLines},
    {"Text", "Batch", "batch script", ".bat", "Script-Batch", "", 0, 5, Body::kText, Layout::kLeaf, kScriptGroups,
     kScriptNames, kBatchLines},
    {"Text", "VBScript", "Visual Basic script", ".vbs", "Script-VBS", "", 3, 6, Body::kText, Layout::kLeaf,
     kScriptGroups, kScriptNames, kVbsLines},
    {"Text", "HTML", "HTML document", ".html", "Document-HTML", "<!DOCTYPE html>\n"sv, 2, 9, Body::kText, Layout::kLeaf,
     kScriptGroups, kDocumentNames, kHtmlLines},
    {"Text", "None", "text file", ".txt", "", "", 0, 8, Body::kText, Layout::kLeaf, kGroupAny, kTextNames, kProseLines},
    {"Text", "XML", "XML document", ".xml", "", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"sv, 0, 8, Body::kText,
     Layout::kLeaf, kGroupAny, kTextNames, kXmlLines},
    {"Image", "PNG", "PNG image", ".png", "", "\x89PNG\r\n\x1a\n"sv, 96, 10, Body::kBinary, Layout::kLeaf, kGroupAny,
     kImageNames, kNoLines},
    {"Image", "JPEG", "JPEG image", ".jpg", "", "\xff\xd8\xff\xe0"sv, 97, 10, Body::kBinary, Layout::kLeaf, kGroupAny,
     kImageNames, kNoLines},
    {"Binary", "None", "binary file", ".bin", "", "", 75, 11, Body::kBinary, Layout::kLeaf, kGroupAny, kDataNames,
     kNoLines},
});

// KindId indexes kKinds: spot checks keep the two lists in step.
static_assert(kKinds.size() == static_cast<size_t>(KindId::kData) + 1);
static_assert(kKinds[static_cast<size_t>(KindId::kElf)].file_type == "ELF");
static_assert(kKinds[static_cast<size_t>(KindId::kEmail)].file_subtype == "Email");
static_assert(kKinds[static_cast<size_t>(KindId::kText)].file_subtype == "None");
static_assert(kKinds[static_cast<size_t>(KindId::kPng)].file_subtype == "PNG");

const FileKind& kind_of(KindId id) {
  return kKinds[static_cast<size_t>(id)];
}

bool is_pe(KindId id) {
  return kind_of(id).file_type == "PE";
}

// Repeated entries weight the draw.
constexpr std::array kCleanLeafKinds = {
    KindId::kPeDll,      KindId::kPeDll,      KindId::kPeDll,      KindId::kPeDll, KindId::kPeExe, KindId::kPeExe,
    KindId::kText,       KindId::kText,       KindId::kText,       KindId::kXml,   KindId::kXml,   KindId::kHtml,
    KindId::kHtml,       KindId::kPng,        KindId::kPng,        KindId::kPng,   KindId::kJpeg,  KindId::kJpeg,
    KindId::kJavaScript, KindId::kJavaScript, KindId::kPdf,        KindId::kPdf,   KindId::kWord,  KindId::kExcel,
    KindId::kData,       KindId::kData,       KindId::kPowerShell, KindId::kBatch, KindId::kApk,   KindId::kElf};
constexpr std::array kMalwareLeafKinds = {KindId::kPeExe,      KindId::kPeExe,      KindId::kPeExe,      KindId::kPeExe,
                                          KindId::kPeExe64,    KindId::kPeExe64,    KindId::kPeDll,      KindId::kPeDll,
                                          KindId::kJavaScript, KindId::kJavaScript, KindId::kPowerShell, KindId::kBatch,
                                          KindId::kVbScript,   KindId::kWord,       KindId::kWord,       KindId::kExcel,
                                          KindId::kPdf,        KindId::kHtml,       KindId::kApk,        KindId::kElf};
constexpr std::array kRootContainerKinds = {
    KindId::kZip,         KindId::kZip,   KindId::kZip,   KindId::kZip,         KindId::kRar,
    KindId::kSevenZip,    KindId::kMsi,   KindId::kMsi,   KindId::kPeInstaller, KindId::kPeInstaller,
    KindId::kPeInstaller, KindId::kEmail, KindId::kEmail, KindId::kEmail};
constexpr std::array kNestedContainerKinds = {KindId::kZip,         KindId::kZip,         KindId::kZip,
                                              KindId::kPeInstaller, KindId::kPeInstaller, KindId::kMsi,
                                              KindId::kSevenZip};
constexpr std::array kRootLeafKinds = {KindId::kPeExe, KindId::kPeExe, KindId::kPeExe,      KindId::kPeExe64,
                                       KindId::kPeDll, KindId::kPdf,   KindId::kPdf,        KindId::kWord,
                                       KindId::kWord,  KindId::kExcel, KindId::kJavaScript, KindId::kPowerShell,
                                       KindId::kApk,   KindId::kElf,   KindId::kHtml};

// platform.type.family, as Spectra Core names threats.
constexpr std::array kMaliciousThreats = {"Win32.Trojan.Emotet"sv,
                                          "Win32.Ransomware.Tox"sv,
                                          "Win32.Trojan.Graftor"sv,
                                          "Win32.Downloader.Unruy"sv,
                                          "Win32.Worm.Allaple"sv,
                                          "Win32.Virus.Sality"sv,
                                          "Win32.Trojan.AgentTesla"sv,
                                          "Win32.Infostealer.Lokibot"sv,
                                          "Win32.Backdoor.Zegost"sv,
                                          "Win32.Ransomware.Stop"sv,
                                          "Win32.Trojan.Formbook"sv,
                                          "Win64.Backdoor.CobaltStrike"sv,
                                          "Win64.Ransomware.LockBit"sv,
                                          "Win64.Trojan.Sliver"sv,
                                          "Win64.Coinminer.XMRig"sv,
                                          "Script-JS.Downloader.Nemucod"sv,
                                          "Script-JS.Trojan.Gootloader"sv,
                                          "Script-JS.Downloader.SocGholish"sv,
                                          "Script-PowerShell.Downloader.Generic"sv,
                                          "Script-PowerShell.Backdoor.Empire"sv,
                                          "Script-Batch.Trojan.Killfiles"sv,
                                          "Script-VBS.Worm.Jenxcus"sv,
                                          "Document-Word.Trojan.Valyria"sv,
                                          "Document-Word.Exploit.CVE-2017-11882"sv,
                                          "Document-Word.Downloader.Emotet"sv,
                                          "Document-Excel.Downloader.Qakbot"sv,
                                          "Document-Excel.Trojan.Dridex"sv,
                                          "Document-PDF.Phishing.Generic"sv,
                                          "Document-PDF.Exploit.CVE-2018-4990"sv,
                                          "Document-HTML.Phishing.Generic"sv,
                                          "Android.Trojan.Hiddad"sv,
                                          "Android.Spyware.Joker"sv,
                                          "Android.Trojan.Triada"sv,
                                          "Linux.Backdoor.Mirai"sv,
                                          "Linux.Trojan.Gafgyt"sv,
                                          "Linux.Coinminer.XMRig"sv};
constexpr std::array kSuspiciousThreats = {"Win32.Malware.Heuristic"sv,         "Win32.PUA.Presenoker"sv,
                                           "Win32.Adware.InstallCore"sv,        "Win32.Hacktool.Mimikatz"sv,
                                           "Win64.Malware.Heuristic"sv,         "Win64.Hacktool.Mimikatz"sv,
                                           "Script-JS.Malware.Heuristic"sv,     "Script-PowerShell.Malware.Heuristic"sv,
                                           "Script-Batch.Malware.Heuristic"sv,  "Script-VBS.Malware.Heuristic"sv,
                                           "Document-Word.Malware.Heuristic"sv, "Document-Excel.Malware.Heuristic"sv,
                                           "Document-PDF.Malware.Heuristic"sv,  "Document-HTML.Malware.Heuristic"sv,
                                           "Android.Adware.Airpush"sv,          "Android.PUA.Generic"sv,
                                           "Linux.Malware.Heuristic"sv};

enum class DetectionStyle {
  kDrweb,
  kKaspersky,
  kMicrosoft,
  kSophos,
  kClamav,
  kEset,
  kBitdefender,
  kSymantec,
  kMcafee,
  kAhnlab,
  kAvast,
  kMachineLearning,
  kGeneric,
};

struct Engine {
  std::string_view name;
  std::string_view version;
  DetectionStyle style;
};

// Plain vendor names: the flat view puts them inside keys that end in _<field>.
constexpr auto kEngines = std::to_array<Engine>({
    {"ahnlab", "3.25.1.0", DetectionStyle::kAhnlab},
    {"alibaba", "0.3.0.5", DetectionStyle::kGeneric},
    {"antivir", "8.3.64.146", DetectionStyle::kGeneric},
    {"avast", "23.9.8494.0", DetectionStyle::kAvast},
    {"bitdefender", "7.2", DetectionStyle::kBitdefender},
    {"carbonblack", "1.0.0.2", DetectionStyle::kMachineLearning},
    {"clamav", "1.2.1", DetectionStyle::kClamav},
    {"crowdstrike", "1.0", DetectionStyle::kMachineLearning},
    {"cylance", "3.0.0.0", DetectionStyle::kMachineLearning},
    {"drweb", "7.0.61.8080", DetectionStyle::kDrweb},
    {"endgame", "4.0.0", DetectionStyle::kMachineLearning},
    {"esetnod32", "28210", DetectionStyle::kEset},
    {"ffri", "1.0.0.0", DetectionStyle::kGeneric},
    {"fireeye", "35.24.1.0", DetectionStyle::kBitdefender},
    {"fortinet", "6.4.258.0", DetectionStyle::kGeneric},
    {"gdata", "A:25.36931B:27.33437", DetectionStyle::kBitdefender},
    {"ikarus", "6.2.4.0", DetectionStyle::kGeneric},
    {"k7computing", "12.135.50296", DetectionStyle::kGeneric},
    {"kaspersky", "21.0.1.45", DetectionStyle::kKaspersky},
    {"malwarebytes", "4.5.5.54", DetectionStyle::kGeneric},
    {"mcafee", "6.0.6.653", DetectionStyle::kMcafee},
    {"mcafee_beta", "6.0.6.653", DetectionStyle::kMcafee},
    {"microsoft", "1.1.23110.2", DetectionStyle::kMicrosoft},
    {"panda", "4.6.4.2", DetectionStyle::kGeneric},
    {"quickheal", "22.00", DetectionStyle::kGeneric},
    {"rising", "25.0.0.27", DetectionStyle::kGeneric},
    {"sentinelone", "23.3.0.3", DetectionStyle::kMachineLearning},
    {"sophos", "2.4.3.0", DetectionStyle::kSophos},
    {"symantec", "1.21.0.0", DetectionStyle::kSymantec},
    {"trendmicro", "11.0.0.1006", DetectionStyle::kGeneric},
    {"trendmicro_consumer", "11.0.0.1006", DetectionStyle::kGeneric},
    {"vba32", "5.0.0", DetectionStyle::kGeneric},
    {"virusblokada", "3.12.26.4", DetectionStyle::kGeneric},
    {"watchguard", "1.0.0.0", DetectionStyle::kBitdefender},
    {"webroot", "1.0.0.403", DetectionStyle::kGeneric},
    {"zillya", "2.0.0.5012", DetectionStyle::kGeneric},
});

constexpr std::array kMachineLearningVerdicts = {"Unsafe"sv, "malicious (high confidence)"sv,
                                                 "win/malicious_confidence_90% (W)"sv, "Malicious (score: 87)"sv,
                                                 "Generic.ml"sv};

struct IndicatorDef {
  int id;
  int category;
  int priority;
  int relevance;
  uint8_t groups;
  std::string_view description;
  std::string_view reason_category;
  std::string_view reason_prefix;
  std::span<const std::string_view> reason_values;
};

constexpr std::array kMemoryApis = {"HeapAlloc"sv,   "VirtualAlloc"sv, "LocalAlloc"sv,
                                    "GlobalAlloc"sv, "HeapReAlloc"sv,  "VirtualProtect"sv};
constexpr std::array kDriveApis = {"GetLogicalDriveStringsW"sv, "GetDriveTypeW"sv, "GetLogicalDrives"sv,
                                   "GetVolumeInformationW"sv, "GetDiskFreeSpaceExW"sv};
constexpr std::array kSystemDirApis = {"CreateFileW"sv, "GetSystemDirectoryW"sv, "GetWindowsDirectoryW"sv,
                                       "SHGetFolderPathW"sv, "GetTempPathW"sv};
constexpr std::array kExecApis = {"CreateProcessW"sv, "ShellExecuteExW"sv, "WinExec"sv,
                                  "CreateProcessA"sv, "ShellExecuteW"sv,   "CreateProcessAsUserW"sv};
constexpr std::array kPrivilegeApis = {"AdjustTokenPrivileges"sv, "LookupPrivilegeValueW"sv, "OpenProcessToken"sv};
constexpr std::array kRegistryReadApis = {"RegOpenKeyExW"sv, "RegQueryValueExW"sv, "RegEnumKeyExW"sv, "RegEnumValueW"sv,
                                          "RegQueryInfoKeyW"sv};
constexpr std::array kRegistryWriteApis = {"RegSetValueExW"sv, "RegCreateKeyExW"sv, "RegDeleteValueW"sv};
constexpr std::array kNetworkApis = {"URLDownloadToFileW"sv, "InternetOpenUrlA"sv, "InternetReadFile"sv,
                                     "WinHttpSendRequest"sv, "HttpOpenRequestW"sv, "InternetConnectW"sv};
constexpr std::array kProcessApis = {"CreateToolhelp32Snapshot"sv, "Process32FirstW"sv, "Process32NextW"sv,
                                     "EnumProcesses"sv};
constexpr std::array kInjectionApis = {"WriteProcessMemory"sv, "CreateRemoteThread"sv, "VirtualAllocEx"sv,
                                       "NtUnmapViewOfSection"sv};
constexpr std::array kDebuggerApis = {"IsDebuggerPresent"sv, "CheckRemoteDebuggerPresent"sv, "OutputDebugStringW"sv};
constexpr std::array kLoaderApis = {"LoadLibraryW"sv, "LoadLibraryExW"sv,   "GetProcAddress"sv,
                                    "LoadLibraryA"sv, "GetModuleHandleW"sv, "LdrLoadDll"sv};
constexpr std::array kCryptoApis = {"CryptAcquireContextW"sv, "CryptEncrypt"sv, "BCryptEncrypt"sv, "CryptGenRandom"sv};
constexpr std::array kDeleteApis = {"DeleteFileW"sv, "MoveFileExW"sv, "RemoveDirectoryW"sv};
constexpr std::array kSections = {".text"sv, ".rsrc"sv, ".data"sv, "UPX1"sv};
constexpr std::array kTimeApis = {"GetTickCount"sv, "QueryPerformanceCounter"sv, "GetSystemTimeAsFileTime"sv};
constexpr std::array kObfuscationPatterns = {
    "eval("sv, "String.fromCharCode"sv, "FromBase64String"sv, "-EncodedCommand"sv, "Chr("sv, "unescape("sv};
constexpr std::array kComObjects = {"WScript.Shell"sv, "Scripting.FileSystemObject"sv, "MSXML2.XMLHTTP"sv,
                                    "ADODB.Stream"sv, "Shell.Application"sv};
constexpr std::array kDownloadPatterns = {"Invoke-WebRequest"sv, "Net.WebClient"sv,       "DownloadFile"sv,
                                          "XMLHTTP.Open"sv,      "bitsadmin /transfer"sv, "curl -o"sv};
constexpr std::array kShellPatterns = {"cmd.exe /c"sv, "powershell.exe -nop"sv, "Start-Process"sv,
                                       "WScript.Shell.Run"sv, "Exec("sv};
constexpr std::array kPolicyPatterns = {"-ExecutionPolicy Bypass"sv, "Set-ExecutionPolicy Unrestricted"sv};
constexpr std::array kTempPatterns = {"%TEMP%"sv, "$env:TEMP"sv, "GetSpecialFolder(2)"sv, "%APPDATA%"sv};
constexpr std::array kSleepPatterns = {"Start-Sleep"sv, "WScript.Sleep"sv, "timeout /t"sv, "ping -n 10 127.0.0.1"sv};
constexpr std::array kPersistencePatterns = {
    "schtasks /create"sv, "Software\\Microsoft\\Windows\\CurrentVersion\\Run"sv, "New-ScheduledTask"sv, "Startup"sv};
constexpr std::array kExtensions = {".exe"sv, ".dll"sv, ".scr"sv, ".hta"sv, ".ps1"sv, ".bat"sv, ".vbs"sv, ".lnk"sv};
constexpr std::array kMacroFunctions = {"AutoOpen"sv, "Document_Open"sv, "Workbook_Open"sv, "Auto_Close"sv};
constexpr std::array kEmbeddedObjects = {"oleObject1.bin"sv, "Package"sv, "Equation.3"sv, "Forms.HTML:Image.1"sv};
constexpr std::array kPdfKeywords = {"/JavaScript"sv, "/JS"sv, "/OpenAction"sv, "/AA"sv, "/Launch"sv};
constexpr std::array kLureStrings = {"Enable Content"sv, "Enable Editing"sv, "This document is protected"sv,
                                     "To view this document, please enable macros"sv};
constexpr std::array kMacroShell = {"Shell("sv, "WScript.Shell"sv, "CreateObject(\"Wscript.Shell\")"sv};
constexpr std::array kTemplateStrings = {"attachedTemplate"sv, "settings.xml.rels"sv, "Target=\"http"sv};
constexpr std::array kFormKeywords = {"/AcroForm"sv, "/Widget"sv, "/SubmitForm"sv};
constexpr std::array kDdeStrings = {"DDEAUTO"sv, "DDE"sv};
constexpr std::array kContainedExecutables = {"setup.exe"sv, "invoice.scr"sv, "update.dll"sv, "agent.msi"sv};
constexpr std::array kDoubleExtensions = {"invoice.pdf.exe"sv, "photo.jpg.scr"sv, "document.doc.js"sv};
constexpr std::array kEncryptedEntries = {"data.bin"sv, "setup.exe"sv, "readme.txt"sv};
constexpr std::array kContainedScripts = {"run.js"sv, "install.ps1"sv, "start.bat"sv, "update.vbs"sv};
constexpr std::array kAttachments = {"invoice.zip"sv, "scan.pdf"sv, "order.docm"sv, "payment.html"sv};
constexpr std::array kReplyTo = {"billing@secure-pay.top"sv, "hr@outlook-mail.info"sv, "noreply@docs-share.online"sv};
constexpr std::array kLinks = {"https://login.office365-verify.top/"sv, "http://bit.ly/3xYzAbc"sv,
                               "https://docs.google.com/uc?export=download"sv};
constexpr std::array kEntryCounts = {"Number of entries above threshold"sv};
constexpr std::array kUrls = {"http://www.w3.org/2000/svg"sv,
                              "https://ocsp.digicert.com"sv,
                              "http://crl.microsoft.com/pki/crl"sv,
                              "http://ns.adobe.com/xap/1.0/"sv,
                              "http://schemas.microsoft.com/SMI/2005/WindowsSettings"sv,
                              "https://go.microsoft.com/fwlink/?LinkId=528892"sv};
constexpr std::array kIps = {"127.0.0.1"sv, "0.0.0.0"sv, "192.168.1.1"sv, "8.8.8.8"sv, "10.0.0.1"sv, "255.255.255.0"sv};
constexpr std::array kEmails = {"support@example.com"sv, "admin@localhost"sv, "info@contoso.com"sv};
constexpr std::array kRegistryKeys = {"HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"sv,
                                      "HKLM\\SYSTEM\\CurrentControlSet\\Services"sv,
                                      "HKCU\\Software\\Classes\\ms-settings\\shell\\open\\command"sv};
constexpr std::array kSystemDirs = {"C:\\Windows\\System32"sv, "%SystemRoot%"sv, "C:\\ProgramData"sv};
constexpr std::array kBase64Prefixes = {"TVqQAAMAAAAEAAAA"sv, "SUkqAAgAAAAP"sv, "UEsDBBQABgAI"sv};
constexpr std::array kSizeDeviation = {"File size deviation above threshold"sv};
constexpr std::array kWallets = {
    "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"sv,
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"sv};

constexpr std::string_view kApiReason = "Imported API Name";
constexpr std::string_view kApiPrefix = "Imports the following function: ";
constexpr std::string_view kStringReason = "Strings";
constexpr std::string_view kStringPrefix = "Contains the following string: ";
constexpr std::string_view kPatternReason = "Pattern Match";

constexpr auto kIndicators = std::to_array<IndicatorDef>({
    {17985, 4, 3, 0, kGroupPe, "Allocates additional memory in the calling process.", kApiReason, kApiPrefix,
     kMemoryApis},
    {2130, 10, 4, 1, kGroupPe, "Enumerates currently available disk drives.", kApiReason, kApiPrefix, kDriveApis},
    {3088, 9, 5, 1, kGroupPe, "Creates/opens files in system directories.", kApiReason, kApiPrefix, kSystemDirApis},
    {22, 11, 6, 2, kGroupPe, "Executes a file.", kApiReason, kApiPrefix, kExecApis},
    {2019, 13, 5, 1, kGroupPe, "Tampers with user/account privileges.", kApiReason, kApiPrefix, kPrivilegeApis},
    {17, 22, 2, 0, kGroupPe, "Accesses the registry.", kApiReason, kApiPrefix, kRegistryReadApis},
    {18, 22, 4, 1, kGroupPe, "Writes to the registry.", kApiReason, kApiPrefix, kRegistryWriteApis},
    {969, 7, 6, 2, kGroupPe, "Downloads data from the Internet.", kApiReason, kApiPrefix, kNetworkApis},
    {1046, 10, 4, 1, kGroupPe, "Enumerates running processes.", kApiReason, kApiPrefix, kProcessApis},
    {1304, 11, 8, 2, kGroupPe, "Injects code into another process.", kApiReason, kApiPrefix, kInjectionApis},
    {1100, 16, 6, 1, kGroupPe, "Detects presence of a debugger.", kApiReason, kApiPrefix, kDebuggerApis},
    {257, 12, 2, 0, kGroupPe, "Loads additional libraries at runtime.", kApiReason, kApiPrefix, kLoaderApis},
    {1400, 15, 5, 1, kGroupPe, "Uses cryptographic functions.", kApiReason, kApiPrefix, kCryptoApis},
    {3270, 18, 6, 1, kGroupPe, "Contains a high-entropy section, possibly packed or encrypted.", kPatternReason,
     "Section with high entropy: ", kSections},
    {3102, 9, 4, 1, kGroupPe, "Deletes files.", kApiReason, kApiPrefix, kDeleteApis},
    {1124, 16, 3, 0, kGroupPe, "Measures elapsed time, possibly to detect sandboxes.", kApiReason, kApiPrefix,
     kTimeApis},
    {4001, 18, 7, 2, kGroupScript, "Contains obfuscated code.", kPatternReason,
     "Found pattern: ", kObfuscationPatterns},
    {4002, 11, 5, 1, kGroupScript, "Creates an ActiveX/COM object.", kStringReason,
     "Creates the following object: ", kComObjects},
    {4003, 7, 7, 2, kGroupScript, "Downloads a file from the Internet.", kPatternReason,
     "Found pattern: ", kDownloadPatterns},
    {4004, 11, 6, 2, kGroupScript, "Executes commands through the system shell.", kPatternReason,
     "Found pattern: ", kShellPatterns},
    {4005, 13, 6, 1, kGroupScript, "Modifies the script execution policy.", kStringReason, kStringPrefix,
     kPolicyPatterns},
    {4006, 9, 3, 0, kGroupScript, "Writes files to a temporary directory.", kStringReason, kStringPrefix,
     kTempPatterns},
    {4007, 16, 4, 1, kGroupScript, "Sleeps, possibly to evade sandbox analysis.", kPatternReason,
     "Found pattern: ", kSleepPatterns},
    {4008, 14, 7, 2, kGroupScript, "Establishes persistence on the system.", kStringReason, kStringPrefix,
     kPersistencePatterns},
    {4009, 12, 1, 0, kGroupScript | kGroupDocument, "Contains references to executable file extensions.", kStringReason,
     kStringPrefix, kExtensions},
    {5001, 19, 5, 1, kGroupDocument, "Contains VBA macros.", "Macro",
     "Contains the following macro function: ", kMacroFunctions},
    {5002, 19, 7, 2, kGroupDocument, "Contains macros that run when the document is opened.", "Macro",
     "Auto-executing macro: ", kMacroFunctions},
    {5003, 20, 4, 1, kGroupDocument, "Contains embedded objects.", "Embedded Object",
     "Embedded object: ", kEmbeddedObjects},
    {5004, 20, 6, 1, kGroupDocument, "Contains JavaScript or automatic actions.", kPatternReason,
     "Found PDF keyword: ", kPdfKeywords},
    {5005, 21, 6, 2, kGroupDocument, "Uses a decoy message to lure the user into enabling content.", kStringReason,
     kStringPrefix, kLureStrings},
    {5006, 11, 7, 2, kGroupDocument, "Contains a shell execution call in a macro.", kPatternReason,
     "Found pattern: ", kMacroShell},
    {5007, 7, 6, 1, kGroupDocument, "Loads a remote template.", kPatternReason, "Found pattern: ", kTemplateStrings},
    {5008, 20, 2, 0, kGroupDocument, "Contains interactive form fields.", kPatternReason,
     "Found PDF keyword: ", kFormKeywords},
    {5009, 11, 6, 2, kGroupDocument, "Uses DDE fields to run commands.", kStringReason, kStringPrefix, kDdeStrings},
    {6001, 23, 4, 1, kGroupArchive, "Contains executable files.", "Archive", "Contains file: ", kContainedExecutables},
    {6002, 23, 7, 2, kGroupArchive, "Contains files with double extensions.", "Archive",
     "Contains file: ", kDoubleExtensions},
    {6003, 23, 5, 1, kGroupArchive, "Contains password-protected entries.", "Archive",
     "Encrypted entry: ", kEncryptedEntries},
    {6004, 23, 4, 1, kGroupArchive, "Contains script files.", "Archive", "Contains file: ", kContainedScripts},
    {6005, 24, 3, 0, kGroupArchive, "Has attachments.", "Email", "Attachment: ", kAttachments},
    {6006, 24, 6, 1, kGroupArchive, "Sender domain does not match the reply-to domain.", "Email",
     "Reply-To: ", kReplyTo},
    {6007, 7, 4, 1, kGroupArchive, "Contains links to external resources.", "URI", "Links to: ", kLinks},
    {6008, 23, 2, 0, kGroupArchive, "Contains an unusually large number of entries.", "Archive", "", kEntryCounts},
    {7001, 7, 1, 0, kGroupAny, "Contains URLs.", kStringReason, kStringPrefix, kUrls},
    {7002, 7, 1, 0, kGroupAny, "Contains IP addresses.", kStringReason, kStringPrefix, kIps},
    {7003, 7, 1, 0, kGroupAny, "Contains email addresses.", kStringReason, kStringPrefix, kEmails},
    {7004, 12, 1, 0, kGroupAny, "Contains references to executable file extensions.", kStringReason, kStringPrefix,
     kExtensions},
    {7005, 22, 2, 0, kGroupAny, "Contains references to registry keys.", kStringReason, kStringPrefix, kRegistryKeys},
    {7006, 9, 2, 0, kGroupAny, "Contains references to system directories.", kStringReason, kStringPrefix, kSystemDirs},
    {7007, 18, 3, 0, kGroupAny, "Contains Base64-encoded data.", kPatternReason,
     "Found Base64 data starting with: ", kBase64Prefixes},
    {7008, 17, 2, 0, kGroupAny, "File size is unusual for its type.", "Metadata", "", kSizeDeviation},
    {7009, 7, 5, 2, kGroupAny, "Contains references to cryptocurrency wallets.", kStringReason, kStringPrefix,
     kWallets},
    {7010, 12, 1, 0, kGroupAny, "Contains references to other files.", kStringReason, kStringPrefix, kContainedScripts},
});

constexpr std::array kCleanDomains = {"www.microsoft.com"sv, "go.microsoft.com"sv,           "ocsp.digicert.com"sv,
                                      "crl3.digicert.com"sv, "schemas.openxmlformats.org"sv, "www.w3.org"sv,
                                      "ns.adobe.com"sv,      "update.googleapis.com"sv,      "github.com"sv,
                                      "cdn.jsdelivr.net"sv};
constexpr std::array kBadWords = {"update"sv, "secure"sv, "cdn"sv, "login"sv, "docs"sv,
                                  "files"sv,  "track"sv,  "api"sv, "mail"sv,  "verify"sv};
constexpr std::array kBadTlds = {"top"sv, "xyz"sv, "ru"sv, "info"sv, "click"sv, "online"sv, "biz"sv};
constexpr std::array kBadPaths = {"gate.php"sv, "index.php"sv, "wp-content/plugins/x.php"sv,
                                  "load/"sv,    "panel/"sv,    "dl/payload.bin"sv};
constexpr std::array kMailUsers = {"support"sv, "info"sv, "billing"sv, "admin"sv, "noreply"sv};
constexpr std::array kEmailSubjects = {"Invoice overdue"sv, "RE: Purchase order"sv,     "Shared documents"sv,
                                       "Payment advice"sv,  "Your account statement"sv, "Meeting notes"sv};
constexpr std::array kVendors = {"contoso"sv, "fabrikam"sv, "northwind"sv, "adatum"sv, "tailspin"sv};

constexpr std::array kStringCategories = {"http"sv, "https"sv, "ipv4"sv, "mailto"sv, "ftp"sv};

constexpr std::array kCoreVersions = {"4.1.2.0"sv, "5.0.1.26"sv, "5.2.1.1"sv};
constexpr std::array kSiteDomains = {"corp.example.com"sv, "rl.lan"sv, "sec.contoso.net"sv, "soc.fabrikam.local"sv};
constexpr std::array kUploaders = {"malware_analyst"sv, "soc-automation"sv, "mail-gateway"sv, "edr-connector"sv,
                                   "j.smith"sv};
constexpr std::array kOrigins = {"email_attachment"sv, "web_download"sv, "usb_drive"sv, "file_share"sv,
                                 "i_found_it_on_my_laptop"sv};

}  // namespace sb::tools::report_gen
