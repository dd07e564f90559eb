// spectra-bridge entry point: builds the command line and runs the chosen command.
#include <csignal>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  // A peer closing a connection mid-write must be an error code, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  return sb::app::run_cli(argc, argv);
}
