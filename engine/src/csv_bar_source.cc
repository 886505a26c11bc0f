#include <algorithm>
#include <cstring>

#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {
namespace {

// Also the longest accepted line. Small enough that hundreds of symbols streaming at once stay
// cheap (a few hundred bytes of buffer per KiB of row would be plenty for OHLCV).
constexpr std::size_t kBufferSize = 1 << 16;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void Split(std::string_view line, char delimiter, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    std::size_t pos = line.find(delimiter, start);
    if (pos == std::string_view::npos) {
      out.push_back(Trim(line.substr(start)));
      return;
    }
    out.push_back(Trim(line.substr(start, pos - start)));
    start = pos + 1;
  }
}

const std::string kNoReason;

}  // namespace

const std::string& BarSource::first_skip_reason() const { return kNoReason; }

CsvBarSource::CsvBarSource(std::string path, std::FILE* file, CsvOptions options)
    : path_(std::move(path)), file_(file), options_(options), buffer_(kBufferSize) {
  fields_.reserve(16);
}

CsvBarSource::~CsvBarSource() { std::fclose(file_); }

Result<std::unique_ptr<CsvBarSource>> CsvBarSource::Open(const std::string& path,
                                                         CsvOptions options) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Fail(ErrorCode::kNotFound, path + ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<CsvBarSource> source(new CsvBarSource(path, file, options));
  if (auto header = source->ReadHeader(); !header) return tl::unexpected(header.error());
  return source;
}

std::string CsvBarSource::Where() const { return path_ + ":" + std::to_string(line_number_); }

bool CsvBarSource::ReadLine(std::string_view& line) {
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl != nullptr || (eof_ && begin_ < end_)) {
      std::size_t len = nl ? static_cast<const char*>(nl) - start : end_ - begin_;
      line = std::string_view(start, len);
      begin_ += len + (nl ? 1 : 0);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_number_;
      return true;
    }
    if (eof_) return false;
    // Move the partial line to the front and fill the rest of the buffer.
    std::memmove(buffer_.data(), start, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (end_ == buffer_.size()) {
      // A line longer than the buffer: hand it over whole so that the row check reports it.
      line = std::string_view(buffer_.data(), end_);
      begin_ = end_;
      ++line_number_;
      return true;
    }
    std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    end_ += got;
    if (got == 0) eof_ = true;
  }
}

Result<void> CsvBarSource::ReadHeader() {
  std::string_view header;
  if (!ReadLine(header)) return Fail(ErrorCode::kParse, path_ + ": the file is empty");
  if (header.substr(0, 3) == "\xEF\xBB\xBF") header.remove_prefix(3);
  delimiter_ =
      header.find(';') != std::string_view::npos && header.find(',') == std::string_view::npos
          ? ';'
          : ',';
  Split(header, delimiter_, fields_);
  field_count_ = static_cast<int>(fields_.size());
  for (int i = 0; i < field_count_; ++i) {
    std::string name = Lower(fields_[i]);
    int* slot = name == "date"                              ? &columns_.date
                : name == "time"                            ? &columns_.time
                : name == "timestamp" || name == "datetime" ? &columns_.timestamp
                : name == "open"                            ? &columns_.open
                : name == "high"                            ? &columns_.high
                : name == "low"                             ? &columns_.low
                : name == "close"                           ? &columns_.close
                : name == "volume"                          ? &columns_.volume
                                                            : nullptr;
    if (slot != nullptr && *slot < 0) *slot = i;
  }
  auto missing = [&](const char* name) {
    return Fail(ErrorCode::kParse, Where() + ": header has no " + name + " column");
  };
  if (columns_.date < 0 && columns_.timestamp < 0) return missing("Date or Timestamp");
  if (columns_.open < 0) return missing("Open");
  if (columns_.high < 0) return missing("High");
  if (columns_.low < 0) return missing("Low");
  if (columns_.close < 0) return missing("Close");
  if (columns_.volume < 0) return missing("Volume");
  intraday_ = columns_.time >= 0;
  return {};
}

Result<bool> CsvBarSource::Next(Bar& bar) {
  std::string_view line;
  while (ReadLine(line)) {
    if (Trim(line).empty()) continue;
    Result<Bar> row = ParseRow(line);
    if (row) {
      if (!has_last_ && columns_.timestamp >= 0) intraday_ = !IsMidnight(row->time);
      bar = *row;
      last_time_ = bar.time;
      has_last_ = true;
      return true;
    }
    if (options_.on_bad_row == BadRowPolicy::kStop) return tl::unexpected(row.error());
    if (skipped_++ == 0) first_skip_ = row.error().message;
  }
  if (std::ferror(file_)) return Fail(ErrorCode::kIo, path_ + ": read error");
  return false;
}

Result<Bar> CsvBarSource::ParseRow(std::string_view line) {
  if (line.size() >= kBufferSize) {
    return Fail(ErrorCode::kParse, Where() + ": line is longer than 64 KiB");
  }
  Split(line, delimiter_, fields_);
  if (static_cast<int>(fields_.size()) < field_count_) {
    return Fail(ErrorCode::kParse, Where() + ": expected " + std::to_string(field_count_) +
                                       " fields, found " + std::to_string(fields_.size()));
  }
  Bar bar;
  Result<Timestamp> time = columns_.timestamp >= 0 ? ParseTimestamp(fields_[columns_.timestamp])
                                                   : ParseDate(fields_[columns_.date]);
  if (time && columns_.time >= 0) {
    time = ParseTimeOfDay(fields_[columns_.time]).map([&](Timestamp t) { return *time + t; });
  }
  if (!time) return Fail(ErrorCode::kParse, Where() + ": time: " + time.error().message);
  bar.time = *time;
  struct Field {
    const char* name;
    int column;
    Decimal* out;
  };
  const Field numeric[] = {{"open", columns_.open, &bar.open},
                           {"high", columns_.high, &bar.high},
                           {"low", columns_.low, &bar.low},
                           {"close", columns_.close, &bar.close},
                           {"volume", columns_.volume, &bar.volume}};
  for (const Field& f : numeric) {
    Result<Decimal> value = Decimal::Parse(fields_[f.column]);
    if (!value)
      return Fail(ErrorCode::kParse, Where() + ": " + f.name + ": " + value.error().message);
    if (value->Abs() > kMaxInputMagnitude) {
      return Fail(ErrorCode::kInvalidArgument, Where() + ": " + f.name + " " + value->ToString() +
                                                   " is beyond the input limit of 1e12");
    }
    *f.out = *value;
  }
  auto bad = [&](std::string what) {
    return Fail(ErrorCode::kInvalidArgument, Where() + ": " + what);
  };
  if (bar.high < bar.low)
    return bad("high " + bar.high.ToString() + " is below low " + bar.low.ToString());
  if (bar.open < bar.low)
    return bad("open " + bar.open.ToString() + " is below low " + bar.low.ToString());
  if (bar.open > bar.high)
    return bad("open " + bar.open.ToString() + " is above high " + bar.high.ToString());
  if (bar.close < bar.low)
    return bad("close " + bar.close.ToString() + " is below low " + bar.low.ToString());
  if (bar.close > bar.high)
    return bad("close " + bar.close.ToString() + " is above high " + bar.high.ToString());
  if (bar.volume.IsNegative()) return bad("volume " + bar.volume.ToString() + " is negative");
  if (has_last_ && bar.time <= last_time_) {
    return bad("time " + FormatTimestamp(bar.time, !intraday_) +
               " is not after the previous bar's " + FormatTimestamp(last_time_, !intraday_));
  }
  return bar;
}

Result<std::vector<Bar>> ReadAll(BarSource& source) {
  std::vector<Bar> bars;
  Bar bar;
  while (true) {
    Result<bool> got = source.Next(bar);
    if (!got) return tl::unexpected(got.error());
    if (!*got) return bars;
    bars.push_back(bar);
  }
}

}  // namespace wyckoff::engine
