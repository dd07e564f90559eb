// spectra-bridge entry point: builds the command line and runs the chosen command.
#include "app/cli.hpp"

int main(int argc, char** argv) {
  return sb::app::run_cli(argc, argv);
}
