// The parts of the runner that do not depend on the item type.
#include "engine/runner.hpp"

namespace sb::engine {

void log_unacknowledged(std::string_view pipeline, const Input& input, Outcome outcome, const core::Error& error) {
  if (outcome == Outcome::kPending) {
    core::log_error("cannot leave input for later",
                    {{"pipeline", pipeline}, {"input", input.name}, {"reason", error.message}});
    return;
  }
  core::log_error(
      "effects committed but the input could not be acknowledged; it stays where it is and is delivered again after a "
      "restart, where its repeated effects are recognised and dropped",
      {{"pipeline", pipeline}, {"input", input.name}, {"reason", error.message}});
}

}  // namespace sb::engine
