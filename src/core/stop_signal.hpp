// Graceful stop: SIGINT/SIGTERM set a flag that every long-running loop polls.
#pragma once

#include <chrono>

namespace sb::core {

//! Installs the SIGINT/SIGTERM handlers (idempotent).
void install_stop_handlers();

bool stop_requested();

//! For tests and for commands that end on their own.
void request_stop();
void reset_stop();

//! Sleeps up to `duration`, returning early (true) when a stop is requested.
bool sleep_unless_stopped(std::chrono::milliseconds duration);

}  // namespace sb::core
