// The spectra-bridge command line.
#pragma once

namespace sb::app {

int run_cli(int argc, char** argv);

}  // namespace sb::app
