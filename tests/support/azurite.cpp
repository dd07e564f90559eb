// Starts node_modules/.bin/azurite-table --disableTelemetry --inMemoryPersistence in its own process group and waits
// (bounded) until its port accepts connections; the destructor kills the group.
#include "support/azurite.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_server.hpp"

namespace sb::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr int kPortTries = 3;

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

AzuriteTable::AzuriteTable() {
  const std::filesystem::path program = std::filesystem::path(SB_SOURCE_DIR) / "node_modules/.bin/azurite-table";
  if (!std::filesystem::exists(program)) {
    error_ = program.string() + " is missing: run scripts/bootstrap (npm ci installs Azurite)";
    return;
  }
  for (int attempt = 0; attempt < kPortTries && endpoint_.empty(); ++attempt) {
    const int port = free_loopback_port();
    const std::string port_text = std::to_string(port);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const std::string path = program.string();
      std::vector<const char*> argv{
          path.c_str(),  "--disableTelemetry", "--skipApiVersionCheck", "--inMemoryPersistence",
          "--tableHost", "127.0.0.1",          "--tablePort",           port_text.c_str(),
          nullptr};
      // Its own output would drown the test's: it goes nowhere.
      std::freopen("/dev/null", "w", stdout);
      ::execv(argv[0], const_cast<char* const*>(argv.data()));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (accepts(port)) {
        endpoint_ = "http://127.0.0.1:" + port_text + "/" + kAzuriteAccount;
        break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;  // it exited (the port was taken meanwhile): another port
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (endpoint_.empty() && pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (endpoint_.empty()) error_ = "Azurite's Table service did not start within 30 s";
}

AzuriteTable::~AzuriteTable() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace sb::test
