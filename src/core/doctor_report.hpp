// What `doctor` prints: one OK or FAIL line per check, with the fix for a failure; shared by every component's checks.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace sb::core {

class DoctorReport {
 public:
  void ok(std::string_view check, std::string_view detail);
  void fail(std::string_view check, std::string_view detail);
  int failures() const { return failures_; }

  //! True the first time `key` is seen: a check several components depend on (the store, a token for one scope)
  //! runs once.
  bool first_time(std::string_view key) { return done_.emplace(key).second; }

 private:
  int failures_ = 0;
  std::set<std::string, std::less<>> done_;
};

}  // namespace sb::core
