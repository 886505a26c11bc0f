#include "wyckoff/core/timestamp.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>

#include "wyckoff/core/calendar.h"

namespace wyckoff {
namespace {

// Reads exactly `width` digits at text[pos..]; -1 when they are not all digits.
int Digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<Timestamp> ParseDate(std::string_view text) {
  int y = -1, m = -1, d = -1;
  if (text.size() == 10 && (text[4] == '-' || text[4] == '/') && text[7] == text[4]) {
    y = Digits(text, 0, 4), m = Digits(text, 5, 2), d = Digits(text, 8, 2);
  } else if (text.size() == 8) {
    y = Digits(text, 0, 4), m = Digits(text, 4, 2), d = Digits(text, 6, 2);
  }
  if (y < 0 || m < 0 || d < 0) {
    return Fail(ErrorCode::kParse, Quoted(text) + " is not a date (expected YYYY-MM-DD)");
  }
  const CivilDate date{y, m, d};
  if (!IsValidDate(date)) {
    return Fail(ErrorCode::kParse, Quoted(text) + " is not a valid calendar date");
  }
  if (y < kFirstSupportedYear || y > kLastSupportedYear) {
    return Fail(ErrorCode::kParse,
                Quoted(text) + " is outside the supported dates " + std::string(kSupportedDates));
  }
  return DaysFromCivil(date) * kNanosPerDay;
}

Result<Timestamp> ParseTimeOfDay(std::string_view text) {
  int h = Digits(text, 0, 2), m = -1, s = 0;
  if (text.size() >= 5 && text[2] == ':') m = Digits(text, 3, 2);
  if (text.size() == 8 && text[5] == ':') {
    s = Digits(text, 6, 2);
  } else if (text.size() != 5) {
    m = -1;
  }
  if (h < 0 || m < 0 || s < 0) {
    return Fail(ErrorCode::kParse, Quoted(text) + " is not a time of day (expected HH:MM:SS)");
  }
  if (h > 23 || m > 59 || s > 59) {
    return Fail(ErrorCode::kParse, Quoted(text) + " is not a valid time of day");
  }
  return (static_cast<Timestamp>(h) * 3600 + m * 60 + s) * kNanosPerSecond;
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
  if (text.size() <= 10) return ParseDate(text);
  if (text.back() == 'Z') text.remove_suffix(1);
  if (text.size() < 16 || (text[10] != ' ' && text[10] != 'T')) {
    return Fail(ErrorCode::kParse,
                Quoted(text) + " is not a timestamp (expected YYYY-MM-DD HH:MM:SS)");
  }
  auto date = ParseDate(text.substr(0, 10));
  if (!date) return date;
  auto time = ParseTimeOfDay(text.substr(11));
  if (!time) return time;
  return *date + *time;
}

namespace {

void TwoDigits(char* out, int v) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

char* TimestampWriter::Write(char* out, Timestamp t, bool date_only) {
  const DayAndTime split = SplitDays(t);
  if (split.days != day_) {
    const CivilDate d = CivilFromDays(split.days);
    TwoDigits(date_, d.year / 100);
    TwoDigits(date_ + 2, d.year % 100);
    date_[4] = '-';
    TwoDigits(date_ + 5, d.month);
    date_[7] = '-';
    TwoDigits(date_ + 8, d.day);
    day_ = split.days;
  }
  std::memcpy(out, date_, 10);
  if (date_only) return out + 10;
  const int secs = static_cast<int>(split.time_of_day / kNanosPerSecond);
  out[10] = ' ';
  TwoDigits(out + 11, secs / 3600);
  out[13] = ':';
  TwoDigits(out + 14, secs / 60 % 60);
  out[16] = ':';
  TwoDigits(out + 17, secs % 60);
  return out + 19;
}

std::string FormatTimestamp(Timestamp t, bool date_only) {
  const DayAndTime split = SplitDays(t);
  const CivilDate date = CivilFromDays(split.days);
  char buf[32];
  const int secs = static_cast<int>(split.time_of_day / kNanosPerSecond);
  if (date_only) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", date.year, date.month, date.day,
                  secs / 3600, secs / 60 % 60, secs % 60);
  }
  return buf;
}

}  // namespace wyckoff
