// A small reader for the real OHLCV files in data/daily and data/intraday, for the detector
// tests: columns Date[,Time],Open,High,Low,Close,Volume in any order, found by the header;
// other columns (Adj Close, OpenInterest) are ignored. Aborts the test run on a bad file.
#pragma once

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff::detectors::testing {

inline std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) {
    if (!field.empty() && field.back() == '\r') field.pop_back();
    fields.push_back(field);
  }
  return fields;
}

[[noreturn]] inline void BadFile(const std::string& path, int line, const std::string& what) {
  std::cerr << path << ":" << line << ": " << what << "\n";
  std::abort();
}

// Reads `relative` (to the repository root) into bars, in file order.
inline std::vector<Bar> ReadBars(const std::string& relative) {
  const std::string path = std::string(WYCKOFF_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) BadFile(path, 0, "cannot open");
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsvLine(line);
  int date = -1, time = -1, open = -1, high = -1, low = -1, close = -1, volume = -1;
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    const std::string& h = header[static_cast<std::size_t>(i)];
    if (h == "Date") date = i;
    if (h == "Time") time = i;
    if (h == "Open") open = i;
    if (h == "High") high = i;
    if (h == "Low") low = i;
    if (h == "Close") close = i;
    if (h == "Volume") volume = i;
  }
  if (date < 0 || open < 0 || high < 0 || low < 0 || close < 0 || volume < 0) {
    BadFile(path, 1, "missing a column");
  }
  std::vector<Bar> bars;
  int number = 1;
  auto decimal = [&](const std::vector<std::string>& f, int column) {
    auto value = Decimal::Parse(f[static_cast<std::size_t>(column)]);
    if (!value) BadFile(path, number, value.error().message);
    return *value;
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> f = SplitCsvLine(line);
    auto day = ParseDate(f[static_cast<std::size_t>(date)]);
    if (!day) BadFile(path, number, day.error().message);
    Timestamp stamp = *day;
    if (time >= 0) {
      auto tod = ParseTimeOfDay(f[static_cast<std::size_t>(time)]);
      if (!tod) BadFile(path, number, tod.error().message);
      stamp += *tod;
    }
    bars.push_back({.time = stamp,
                    .open = decimal(f, open),
                    .high = decimal(f, high),
                    .low = decimal(f, low),
                    .close = decimal(f, close),
                    .volume = decimal(f, volume)});
  }
  return bars;
}

}  // namespace wyckoff::detectors::testing
