// Full-jitter backoff and Retry-After parsing (delta-seconds and the three HTTP date forms of RFC 9110).
#include "core/backoff.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "core/prng.hpp"
#include "core/stop.hpp"

namespace sb::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

//! A longer Retry-After is still honoured as "longer than any caller waits", without overflowing arithmetic.
constexpr seconds kMaxRetryAfter{24 * 60 * 60};
//! Doubling stops here: 2^62 ms is already far beyond any cap, and one more step would overflow.
constexpr int kMaxDoublings = 62;

constexpr std::array<std::string_view, 7> kShortDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

//! A small cursor over the date text; every read fails (returns false) rather than running past the end.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool literal(std::string_view expected) {
    if (text_.substr(0, expected.size()) != expected) return false;
    text_.remove_prefix(expected.size());
    return true;
  }

  //! Exactly `width` digits (leading spaces allowed when `space_padded`, as in asctime's " 6").
  bool number(size_t width, int& out, bool space_padded = false) {
    if (text_.size() < width) return false;
    int value = 0;
    bool seen_digit = false;
    for (size_t i = 0; i < width; ++i) {
      const char c = text_[i];
      if (c == ' ' && space_padded && !seen_digit && i + 1 < width) continue;
      if (!is_digit(c)) return false;
      seen_digit = true;
      value = value * 10 + (c - '0');
    }
    text_.remove_prefix(width);
    out = value;
    return true;
  }

  template <size_t N>
  bool one_of(const std::array<std::string_view, N>& names, int* index = nullptr) {
    for (size_t i = 0; i < N; ++i) {
      if (literal(names[i])) {
        if (index != nullptr) *index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  bool clock(int& hour, int& minute, int& second) {
    return number(2, hour) && literal(":") && number(2, minute) && literal(":") && number(2, second);
  }

  bool done() const { return text_.empty(); }

 private:
  std::string_view text_;
};

struct DateParts {
  int year = 0;
  int month = 0;  // 0-based
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

//! "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, what servers send today).
bool parse_imf_fixdate(std::string_view text, DateParts& d) {
  Scanner s(text);
  return s.one_of(kShortDays) && s.literal(", ") && s.number(2, d.day) && s.literal(" ") &&
         s.one_of(kMonths, &d.month) && s.literal(" ") && s.number(4, d.year) && s.literal(" ") &&
         s.clock(d.hour, d.minute, d.second) && s.literal(" GMT") && s.done();
}

//! "Sunday, 06-Nov-94 08:49:37 GMT" (obsolete RFC 850; RFC 9110 still asks recipients to accept it).
bool parse_rfc850(std::string_view text, DateParts& d) {
  Scanner s(text);
  int two_digit_year = 0;
  if (!(s.one_of(kLongDays) && s.literal(", ") && s.number(2, d.day) && s.literal("-") && s.one_of(kMonths, &d.month) &&
        s.literal("-") && s.number(2, two_digit_year) && s.literal(" ") && s.clock(d.hour, d.minute, d.second) &&
        s.literal(" GMT") && s.done())) {
    return false;
  }
  // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future means the past century. Servers that
  // still send this form are ancient; reading 00-69 as 20xx is the usual, good-enough rule.
  constexpr int kPivot = 70;
  d.year = two_digit_year < kPivot ? 2000 + two_digit_year : 1900 + two_digit_year;
  return true;
}

//! "Sun Nov  6 08:49:37 1994" (obsolete asctime form).
bool parse_asctime(std::string_view text, DateParts& d) {
  Scanner s(text);
  return s.one_of(kShortDays) && s.literal(" ") && s.one_of(kMonths, &d.month) && s.literal(" ") &&
         s.number(2, d.day, /*space_padded=*/true) && s.literal(" ") && s.clock(d.hour, d.minute, d.second) &&
         s.literal(" ") && s.number(4, d.year) && s.done();
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  DateParts d;
  if (!parse_imf_fixdate(text, d) && !parse_rfc850(text, d) && !parse_asctime(text, d)) return std::nullopt;
  constexpr int kMaxHour = 23;
  constexpr int kMaxMinute = 59;
  constexpr int kMaxSecond = 60;  // a leap second is legal in the grammar
  if (d.hour > kMaxHour || d.minute > kMaxMinute || d.second > kMaxSecond) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{d.year},
                                         std::chrono::month{static_cast<unsigned>(d.month + 1)},
                                         std::chrono::day{static_cast<unsigned>(d.day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{d.hour} + std::chrono::minutes{d.minute} + seconds{d.second};
}

std::optional<seconds> parse_delta_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (const char c : text) {
    if (!is_digit(c)) return std::nullopt;
    // Keep reading digits (the value must still be all digits) but stop growing past the cap.
    if (value <= kMaxRetryAfter.count()) value = value * 10 + (c - '0');
  }
  return seconds{std::min<int64_t>(value, kMaxRetryAfter.count())};
}

}  // namespace

milliseconds full_jitter_delay(int attempt, milliseconds base, milliseconds cap, double random_unit) {
  if (base <= milliseconds::zero() || cap <= milliseconds::zero()) return milliseconds::zero();
  int64_t ceiling = base.count();
  const int doublings = std::clamp(attempt, 0, kMaxDoublings);
  for (int i = 0; i < doublings && ceiling < cap.count(); ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap.count());
  // A draw outside [0, 1) (a caller's bug or a NaN) must still give a wait within the documented range.
  if (!(random_unit >= 0.0)) random_unit = 0.0;
  if (random_unit >= 1.0) random_unit = std::nextafter(1.0, 0.0);
  // ceiling + 1 buckets make every whole millisecond in [0, ceiling] equally likely, ceiling included.
  const auto scaled = static_cast<int64_t>(random_unit * static_cast<double>(ceiling + 1));
  return milliseconds{std::min(scaled, ceiling)};
}

std::optional<milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (const auto delta = parse_delta_seconds(value)) return std::chrono::duration_cast<milliseconds>(*delta);
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  if (*date <= now) return milliseconds::zero();
  const auto wait = std::chrono::ceil<milliseconds>(*date - now);
  return std::min<milliseconds>(wait, kMaxRetryAfter);
}

RetrySchedule::RetrySchedule(std::chrono::milliseconds first, std::chrono::milliseconds cap, std::stop_token stop)
    : first_(first), cap_(cap), stop_(std::move(stop)), random_state_(std::random_device{}()) {}

bool RetrySchedule::wait() {
  Prng random(splitmix64(random_state_));
  return !sleep_unless_stopped(stop_, full_jitter_delay(attempt_++, first_, cap_, random.unit_double()));
}

}  // namespace sb::core
