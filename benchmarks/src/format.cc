#include "format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace wyckoff::benchmarks::internal {
namespace {

// Three significant digits for values in [1, 1000): "1.23", "12.3", "123".
std::string ThreeDigits(double value) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  const int decimals = magnitude >= 99.95 ? 0 : magnitude >= 9.995 ? 1 : 2;
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string EscapeMarkdownCell(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string FormatDuration(double nanos) {
  if (!std::isfinite(nanos)) return "n/a";
  if (std::fabs(nanos) >= 120e9) return ThreeDigits(nanos / 60e9) + " min";  // not "1800 s"
  struct Unit {
    const char* name;
    double nanos;
  };
  static constexpr Unit kUnits[] = {{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1.0}};
  for (const Unit& unit : kUnits) {
    // 999.5 ns would print as "1000 ns": move up a unit once rounding reaches 1000.
    if (std::fabs(nanos) >= unit.nanos * 0.9995 || unit.nanos == 1.0) {
      return ThreeDigits(nanos / unit.nanos) + " " + unit.name;
    }
  }
  return "n/a";  // unreachable: the last unit always matches
}

std::string FormatQuantity(double value) {
  if (!std::isfinite(value)) return "n/a";
  struct Suffix {
    const char* name;
    double scale;
  };
  static constexpr Suffix kSuffixes[] = {{"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}};
  for (const Suffix& suffix : kSuffixes) {
    if (std::fabs(value) >= suffix.scale * 0.9995) {
      return ThreeDigits(value / suffix.scale) + suffix.name;
    }
  }
  return FormatNumber(value);
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  }
  return buffer;
}

std::string FormatChange(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%+.1f%%", fraction * 100.0);
  return std::string(buffer) == "-0.0%" ? "+0.0%" : buffer;
}

std::string FormatPValue(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.0001) return "<0.0001";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", p);
  return buffer;
}

std::string RenderTextTable(const std::vector<std::string>& header,
                            const std::vector<std::vector<std::string>>& rows,
                            const std::vector<bool>& right_align) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      const std::string padding(widths[i] - cell.size(), ' ');
      if (i > 0) line += "  ";
      line += right_align[i] ? padding + cell : cell + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return line + "\n";
  };
  std::string out = render_line(header);
  for (const auto& row : rows) out += render_line(row);
  return out;
}

std::string RenderMarkdownTable(const std::vector<std::string>& header,
                                const std::vector<std::vector<std::string>>& rows,
                                const std::vector<bool>& right_align) {
  std::string out = "|";
  for (const std::string& cell : header) out += " " + EscapeMarkdownCell(cell) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) out += right_align[i] ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const std::string& cell : row) out += " " + EscapeMarkdownCell(cell) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace wyckoff::benchmarks::internal
