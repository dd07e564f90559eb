// `doctor`: checks every configured endpoint the way a support engineer would, one line per check with the fix
// for a failure; exit 1 when any check fails. Only what the configuration uses is checked.
#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "app/app_context.hpp"
#include "app/azure_setup.hpp"
#include "app/commands.hpp"
#include "app/ingest_setup.hpp"
#include "app/scan_setup.hpp"
#include "app/secrets.hpp"
#include "azure/graph_client.hpp"
#include "azure/key_vault_client.hpp"
#include "core/files.hpp"
#include "core/secret.hpp"
#include "store/store.hpp"

namespace sb::app {
namespace {

// The EICAR test file: known to every ReversingLabs product, harmless to ask about.
constexpr std::string_view kProbeSha1 = "3395856ce81f2b7382dee72602f798b642f14140";
// The secret keys that may be keyvault: references (azure.client_secret may not: reading a vault needs it).
constexpr std::array<std::string_view, 2> kVaultableSecrets = {"scan.spectra_intelligence.password",
                                                               "scan.spectra_analyze.token"};

//! The keyvault: reference in secret key `key`, if that is what it holds.
std::optional<core::SecretReference> vault_reference(const core::Config& config, std::string_view key) {
  auto parsed = core::parse_secret_reference(config.get_string(key));
  if (!parsed || parsed->kind != core::SecretKind::kKeyVault) return std::nullopt;
  return std::move(parsed).value();
}

class Report {
 public:
  void ok(std::string_view check, std::string_view detail) { line("OK  ", check, detail); }
  void fail(std::string_view check, std::string_view detail) {
    line("FAIL", check, detail);
    ++failures_;
  }
  int failures() const { return failures_; }

 private:
  static void line(std::string_view mark, std::string_view check, std::string_view detail) {
    std::fputs(fmt::format("{}  {:<22} {}\n", mark, check, detail).c_str(), stdout);
    std::fflush(stdout);
  }
  int failures_ = 0;
};

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void check_store(const core::Config& config, Report& report) {
  const bool used = has(config.get_list("ingest.sinks"), "store") || has(config.get_list("scan.writers"), "store") ||
                    has(config.get_list("scan.providers"), "local");
  if (!used) return;
  const auto path = store_path(config);
  auto db = store::open_store(path);
  if (db) {
    report.ok("store", path.string());
  } else {
    report.fail("store", db.error().message + " (fix: make the folder writable, or set store.path)");
  }
}

void check_inboxes(const core::Config& config, Report& report) {
  const auto check = [&](bool enabled, std::string_view source, const std::filesystem::path& inbox,
                         std::string_view name) {
    if (!enabled || source != "folder") return;
    if (auto status = core::ensure_folder(inbox); status) {
      report.ok(name, inbox.string());
    } else {
      report.fail(name, status.error().message);
    }
  };
  check(config.get_bool("ingest.enabled"), config.get_string("ingest.source"), detect_inbox(config), "ingest inbox");
  check(config.get_bool("scan.enabled"), config.get_string("scan.source"), defender_inbox(config), "scan inbox");
}

void check_tokens(const core::Config& config, const std::set<std::string>& scopes, Report& report) {
  if (scopes.empty()) return;
  auto provider = build_token_provider(config);
  if (!provider) {
    report.fail("entra id", provider.error().message);
    return;
  }
  for (const auto& scope : scopes) {
    auto token = (*provider)->token(scope);
    if (token) {
      report.ok("token", fmt::format("{} ({})", scope, (*provider)->describe()));
    } else {
      report.fail("token", fmt::format("{}: {}", scope, token.error().message));
    }
  }
}

void check_logs_ingestion(const core::Config& config, Report& report) {
  auto client = build_logs_ingestion_client(config);
  if (!client) {
    report.fail("logs ingestion", client.error().message);
    return;
  }
  // An empty array is a valid call that stores nothing: it proves the route, the DCR, the stream and the role.
  const auto result = (*client)->upload("[]", false);
  const std::string target =
      fmt::format("DCR {} stream {}", (*client)->target().dcr_immutable_id, (*client)->target().stream);
  if (result.accepted()) {
    report.ok("logs ingestion", target);
    return;
  }
  // The message carries the fix; a refusal of the identity also names which identity that was.
  std::string detail = fmt::format("{}: {}", target, result.error->message);
  if (!azure::logs_ingestion_hint(result.status).empty()) {
    if (auto provider = build_token_provider(config)) detail += " — identity: " + (*provider)->describe();
  }
  report.fail("logs ingestion", detail);
}

void check_graph(const core::Config& config, Report& report) {
  auto client = build_graph_client(config);
  if (!client) {
    report.fail("graph", client.error().message);
    return;
  }
  const auto& targets = config.get_list("scan.graph.comment_on");
  // Every enrichment starts by reading its alert (for the incident id), whatever it is posted on.
  if (auto status = (*client)->check_read_access(false); status) {
    report.ok("graph alerts", "read access (posting needs SecurityAlert.ReadWrite.All)");
  } else {
    report.fail("graph alerts", status.error().message);
  }
  if (has(targets, "incident") || !config.get_list("scan.graph.tags").empty()) {
    if (auto status = (*client)->check_read_access(true); status) {
      report.ok("graph incidents", "read access (posting needs SecurityIncident.ReadWrite.All)");
    } else {
      report.fail("graph incidents", status.error().message);
    }
  }
}

void check_providers(const core::Config& config, Report& report) {
  const auto& names = config.get_list("scan.providers");
  if (!has(names, "spectra_intelligence") && !has(names, "spectra_analyze")) return;
  auto setup = build_verdicts(config);
  if (!setup) {
    report.fail("reversinglabs", setup.error().message);
    return;
  }
  for (const auto& provider : setup->providers) {
    if (provider->name() == "local") continue;
    const auto result = provider->lookup(core::HashType::kSha1, {std::string(kProbeSha1)});
    if (result.ok()) {
      report.ok(provider->name(), "credentials accepted (a lookup of the EICAR test file answered)");
    } else {
      report.fail(provider->name(), result.failure->message);
    }
  }
}

void check_key_vault_references(const core::Config& config, Report& report) {
  for (const auto key : kVaultableSecrets) {
    const auto reference = vault_reference(config, key);
    if (!reference) continue;
    if (auto value = required_secret(config, key); value) {
      report.ok("key vault", fmt::format("{} ({})", key, reference->target));
    } else {
      report.fail("key vault", value.error().message);
    }
  }
}

int run_doctor(const core::Config& config) {
  Report report;
  check_store(config, report);
  check_inboxes(config, report);
  const bool logs = config.get_bool("ingest.enabled") && has(config.get_list("ingest.sinks"), "logs_ingestion");
  const bool graph = config.get_bool("scan.enabled") && has(config.get_list("scan.writers"), "graph");
  std::set<std::string> scopes;
  if (logs) scopes.insert(config.get_string("ingest.logs_ingestion.scope"));
  if (graph) scopes.insert(config.get_string("scan.graph.scope"));
  for (const auto key : kVaultableSecrets) {
    if (const auto reference = vault_reference(config, key)) scopes.insert(azure::key_vault_scope(reference->target));
  }
  check_tokens(config, scopes, report);
  check_key_vault_references(config, report);
  if (logs) check_logs_ingestion(config, report);
  if (graph) check_graph(config, report);
  if (config.get_bool("scan.enabled")) check_providers(config, report);
  std::fputs(
      report.failures() == 0 ? "All checks passed.\n" : fmt::format("{} check(s) failed.\n", report.failures()).c_str(),
      stdout);
  return report.failures() == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void add_doctor_command(CLI::App& app, CommandState& state) {
  auto* doctor = app.add_subcommand(
      "doctor", "Check every configured endpoint: tokens, the DCR, Graph permissions, ReversingLabs, the store");
  doctor->callback([&state] {
    auto config = load_config_or_fail(state);
    if (!config) return;
    state.exit_code = run_doctor(*config);
  });
}

}  // namespace sb::app
