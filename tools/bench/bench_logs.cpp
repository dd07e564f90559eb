// The server runs in a forked child so its CPU time is not ours: the figure per core is this process's user +
// system time, which covers the parse, flatten, serialise, gzip and HTTP client threads together.
#include "tools/bench/bench_logs.hpp"

#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "azure/logs_ingestion_client.hpp"
#include "core/exit_codes.hpp"
#include "core/files.hpp"
#include "core/log.hpp"
#include "engine/folder_dead_letters.hpp"
#include "http/http_client.hpp"
#include "outputs/logs_ingestion_output.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "sources/files_source.hpp"
#include "sources/folder_source.hpp"

namespace sb::tools {
namespace {

constexpr size_t kBenchMaxBytes = 1024ULL * 1024 * 1024;

class BenchTokens final : public azure::TokenProvider {
 public:
  std::string describe() const override { return "bench token"; }
  core::Result<azure::AccessToken> access_token(std::string_view) override {
    return azure::AccessToken{"bench-token", std::chrono::system_clock::now() + std::chrono::hours(1)};
  }
  void invalidate(std::string_view, std::string_view) override {}
};

//! Forks a child that answers 204 to every POST whose body fits the limit (413 otherwise) and returns its pid
//! and port, or -1.
std::pair<pid_t, int> start_server() {
  int fds[2];
  if (pipe(fds) != 0) return {-1, 0};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    httplib::Server server;
    server.Post(".*", [](const httplib::Request& request, httplib::Response& response) {
      response.status = request.body.size() <= azure::kMaxRequestBytes ? 204 : 413;
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    (void)!write(fds[1], &port, sizeof port);
    close(fds[1]);
    server.listen_after_bind();
    _exit(0);
  }
  close(fds[1]);
  int port = 0;
  if (pid < 0 || read(fds[0], &port, sizeof port) != sizeof port || port <= 0) port = 0;
  close(fds[0]);
  return {pid, port};
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Pass {
  double wall = 0;
  double cpu = 0;
  uint64_t bytes = 0;
  uint64_t rows = 0;
  uint64_t requests = 0;
  uint64_t json_bytes = 0;
  uint64_t wire_bytes = 0;
  uint64_t largest = 0;
  uint64_t splits = 0;
  uint64_t dead = 0;
};

core::Result<Pass> run_pass(const std::vector<std::filesystem::path>& files, int port, const BenchLogsArgs& args,
                            const std::filesystem::path& dead_letter_dir) {
  http::ClientOptions http_options;
  auto http = http::make_curl_client(http_options);
  if (!http) return http.error();
  azure::LogsIngestionTarget target;
  target.endpoint = fmt::format("http://127.0.0.1:{}", port);
  target.dcr_immutable_id = "dcr-00000000000000000000000000000000";
  auto client = azure::LogsIngestionClient::create(target, std::make_shared<BenchTokens>(),
                                                   std::shared_ptr<http::HttpClient>(std::move(http).value()));
  if (!client) return client.error();
  outputs::LogsIngestionOptions options;
  options.concurrency = args.concurrency;
  options.gzip = args.gzip;
  // The service's per-DCR budget would make this a measure of the budget, not of the work.
  options.max_requests_per_minute = 0;
  options.max_bytes_per_minute = 0;
  engine::FolderDeadLetters dead_letters(dead_letter_dir);
  auto output = std::make_unique<outputs::LogsIngestionOutput>(std::move(client).value(), &dead_letters, options);
  const auto* counters = &output->delivery_counters();
  std::vector<std::unique_ptr<engine::Output<detect::Row>>> outputs;
  outputs.push_back(std::move(output));
  pipeline::IngestPipeline pipeline(std::make_unique<sources::FilesSource>(files, kBenchMaxBytes), std::move(outputs),
                                    &dead_letters, pipeline::IngestOptions{});

  const double cpu_start = cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  if (auto status = pipeline.run({}); !status) return status.error();
  Pass pass;
  pass.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  pass.cpu = cpu_seconds() - cpu_start;
  pass.bytes = pipeline.stats().bytes;
  pass.rows = pipeline.stats().rows;
  pass.requests = counters->delivered_requests;
  pass.json_bytes = counters->json_bytes;
  pass.wire_bytes = counters->wire_bytes;
  pass.largest = counters->largest_json_bytes;
  pass.splits = counters->splits;
  pass.dead = counters->rows_dead_lettered;
  return pass;
}

}  // namespace

std::vector<std::filesystem::path> bench_report_files(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  if (auto names = core::list_regular_files(folder)) {
    for (const auto& name : *names) {
      if (!sources::is_ignored_name(name)) files.push_back(std::filesystem::path(folder) / name);
    }
  }
  return files;
}

int bench_logs(const BenchLogsArgs& args) {
  const auto files = bench_report_files(args.input);
  if (files.empty()) {
    std::fputs(fmt::format("bench logs: no report files in {}\n", args.input).c_str(), stderr);
    return core::kExitUsage;
  }
  // Before any thread exists: fork copies only the calling thread.
  const auto [server_pid, port] = start_server();
  if (port == 0) {
    std::fputs("bench logs: cannot start the loopback server\n", stderr);
    return core::kExitFailure;
  }
  core::set_log_level(core::LogLevel::kWarn);
  const auto dead_letter_dir = std::filesystem::temp_directory_path() / fmt::format("sb-bench-logs-{}", getpid());
  std::optional<Pass> best;
  int exit_code = core::kExitOk;
  for (int i = 0; i < args.repeat; ++i) {
    auto pass = run_pass(files, port, args, dead_letter_dir);
    if (!pass) {
      std::fputs(fmt::format("bench logs: {}\n", pass.error().message).c_str(), stderr);
      exit_code = core::kExitFailure;
      break;
    }
    if (!best || pass->cpu < best->cpu) best = *pass;
  }
  kill(server_pid, SIGTERM);
  waitpid(server_pid, nullptr, 0);
  std::error_code ec;
  std::filesystem::remove_all(dead_letter_dir, ec);
  if (!best) return exit_code;

  const double mb = static_cast<double>(best->bytes) / 1e6;
  const double requests = static_cast<double>(std::max<uint64_t>(best->requests, 1));
  std::fputs(
      fmt::format(
          "bench logs: {} reports, {:.1f} MB, {} rows; best of {} passes, concurrency {}, gzip {} "
          "(machine has {} cores)\n"
          "  CPU (all threads): {:.3f} s  →  {:.0f} MB/s of report JSON per core, {:.0f} rows/s per core\n"
          "  wall: {:.3f} s  →  {:.0f} MB/s\n"
          "  requests: {} delivered, largest {} bytes of JSON (limit {}), average fill {:.1f}% of the limit, "
          "{:.1f} KB on the wire on average ({:.1f}% of the JSON)\n"
          "  splits after 413: {}, rows dead-lettered: {}\n",
          files.size(), mb, best->rows, args.repeat, args.concurrency, args.gzip ? "on" : "off",
          std::thread::hardware_concurrency(), best->cpu, mb / best->cpu, static_cast<double>(best->rows) / best->cpu,
          best->wall, mb / best->wall, best->requests, best->largest, azure::kMaxRequestBytes,
          100.0 * static_cast<double>(best->json_bytes) / requests / static_cast<double>(azure::kMaxRequestBytes),
          static_cast<double>(best->wire_bytes) / requests / 1e3,
          100.0 * static_cast<double>(best->wire_bytes) / static_cast<double>(std::max<uint64_t>(best->json_bytes, 1)),
          best->splits, best->dead)
          .c_str(),
      stdout);
  return exit_code;
}

}  // namespace sb::tools
