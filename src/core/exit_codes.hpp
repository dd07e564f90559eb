// The process exit codes every command uses: 0 success, 1 failure, 2 invalid configuration or usage.
#pragma once

namespace sb::core {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace sb::core
