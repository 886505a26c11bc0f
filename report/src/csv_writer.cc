#include "wyckoff/report/csv_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace wyckoff::report {
namespace {

bool NeedsQuotes(std::string_view text) {
  if (text.find_first_of(",\"\r\n") != std::string_view::npos) return true;
  return !text.empty() &&
         (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' || text.back() == '\t');
}

void AppendField(std::string& out, std::string_view text) {
  if (!NeedsQuotes(text)) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <typename Int>
void AppendInt(std::string& out, Int value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

}  // namespace

std::string CsvField(std::string_view text) {
  std::string out;
  AppendField(out, text);
  return out;
}

void CsvWriter::Separate() {
  if (!first_) out_ += ',';
  first_ = false;
}

CsvWriter& CsvWriter::Text(std::string_view text) {
  Separate();
  AppendField(out_, text);
  return *this;
}

CsvWriter& CsvWriter::Number(Decimal value) {
  Separate();
  value.AppendTo(out_);
  return *this;
}

CsvWriter& CsvWriter::Number(std::optional<Decimal> value) {
  Separate();
  if (value) value->AppendTo(out_);
  return *this;
}

CsvWriter& CsvWriter::Fixed(std::optional<Decimal> value, int places) {
  Separate();
  if (value) value->AppendFixed(out_, places);
  return *this;
}

CsvWriter& CsvWriter::Number(std::int64_t value) {
  Separate();
  AppendInt(out_, value);
  return *this;
}

CsvWriter& CsvWriter::Number(std::uint64_t value) {
  Separate();
  AppendInt(out_, value);
  return *this;
}

CsvWriter& CsvWriter::Number(std::optional<double> value) {
  Separate();
  if (!value || !std::isfinite(*value)) return *this;
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *value);
  if (ec == std::errc()) out_.append(buf, end);
  return *this;
}

CsvWriter& CsvWriter::Significant(std::optional<double> value) {
  Separate();
  if (!value || !std::isfinite(*value)) return *this;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", *value);
  out_ += buf;
  return *this;
}

CsvWriter& CsvWriter::Time(Timestamp time, bool intraday) {
  Separate();
  char buf[24];
  out_.append(buf, times_.Write(buf, time, !intraday));
  return *this;
}

CsvWriter& CsvWriter::DateAndTime(Timestamp time) {
  Separate();
  char buf[24];
  char* end = times_.Write(buf, time, false);  // "YYYY-MM-DD HH:MM:SS"
  buf[10] = ',';
  out_.append(buf, end);
  return *this;
}

CsvWriter& CsvWriter::Empty() {
  Separate();
  return *this;
}

CsvWriter& CsvWriter::Raw(std::string_view fields) {
  Separate();
  out_ += fields;
  return *this;
}

void CsvWriter::End() {
  out_ += '\n';
  first_ = true;
}

void CsvWriter::Row(std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) Text(f);
  End();
}

}  // namespace wyckoff::report
