// Lines go to stdout at once, so a slow check shows what already passed.
#include "core/doctor_report.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace sb::core {
namespace {

void line(std::string_view mark, std::string_view check, std::string_view detail) {
  std::fputs(fmt::format("{}  {:<22} {}\n", mark, check, detail).c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace

void DoctorReport::ok(std::string_view check, std::string_view detail) {
  line("OK  ", check, detail);
}

void DoctorReport::fail(std::string_view check, std::string_view detail) {
  line("FAIL", check, detail);
  ++failures_;
}

}  // namespace sb::core
