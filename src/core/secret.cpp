// Secret reference parsing and resolution; values are returned to the caller and never logged here.
#include "core/secret.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/files.hpp"
#include "core/service_url.hpp"

namespace sb::core {
namespace {

constexpr size_t kMaxSecretFileBytes = 64 * 1024;

bool valid_variable_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string_view key_vault_domain(std::string_view host) {
  for (const auto domain : kKeyVaultDomains) {
    if (host.size() > domain.size() + 1 && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.') {
      return domain;
    }
  }
  return {};
}

Result<SecretReference> parse_secret_reference(std::string_view text) {
  if (text.starts_with("env:")) {
    const auto name = text.substr(4);
    if (!valid_variable_name(name))
      return make_error(fmt::format("env: reference needs a variable name, got \"{}\"", name));
    return SecretReference{SecretKind::kEnvironment, std::string(name)};
  }
  if (text.starts_with("file:")) {
    const auto path = text.substr(5);
    if (path.empty()) return make_error("file: reference needs a path");
    return SecretReference{SecretKind::kFile, std::string(path)};
  }
  if (text.starts_with("keyvault:")) {
    const auto url = text.substr(9);
    const auto secrets = url.find("/secrets/");
    const auto base = url.substr(0, secrets == std::string_view::npos ? url.size() : secrets);
    const auto service = parse_service_url(base, "keyvault");
    // https under a Key Vault domain, or plain http on loopback (what parse_service_url allows http for).
    const bool vault_host =
        service && (service->scheme == "http" || !key_vault_domain(service->host).empty()) && service->base == base;
    if (!vault_host || secrets == std::string_view::npos || secrets + 9 >= url.size() ||
        url.find_first_of("?#") != std::string_view::npos) {
      return make_error(
          fmt::format("keyvault: reference must look like "
                      "keyvault:https://VAULT.vault.azure.net/secrets/NAME[/VERSION], got \"{}\"",
                      url));
    }
    return SecretReference{SecretKind::kKeyVault, std::string(url)};
  }
  // The text may be the secret itself: never repeat it.
  return make_error("must be a secret reference (env:NAME or file:/path), not the secret itself");
}

Result<std::string> resolve_secret(std::string_view text, RemoteSecretReader* remote) {
  auto reference = parse_secret_reference(text);
  if (!reference) return reference.error();
  switch (reference->kind) {
    case SecretKind::kEnvironment: {
      const char* value = std::getenv(reference->target.c_str());
      if (value == nullptr) return make_error(fmt::format("secret env:{} is not set", reference->target));
      return std::string(value);
    }
    case SecretKind::kFile: {
      auto content = read_file_bounded(reference->target, kMaxSecretFileBytes);
      if (!content) return make_error(fmt::format("secret file:{}: {}", reference->target, content.error().message));
      std::string value = std::move(content).value();
      while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
      return value;
    }
    case SecretKind::kKeyVault: {
      if (remote == nullptr) return make_error("keyvault: references cannot be used here");
      return remote->read(reference->target);
    }
  }
  return make_error("unknown secret reference kind");
}

}  // namespace sb::core
