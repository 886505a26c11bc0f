#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {
namespace {

// Also the longest accepted line. Small enough that hundreds of symbols streaming at once stay
// cheap (a few hundred bytes of buffer per KiB of row would be plenty for OHLCV).
constexpr std::size_t kBufferSize = 1 << 16;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits `line` at `delimiter` into `out`, fields trimmed of spaces. A field in double quotes
// (RFC 4180) may hold the delimiter; its view is the text between the quotes, a doubled quote
// inside left doubled (no bar field legitimately holds one). False for a quoted field that
// does not close or has text after its closing quote.
bool Split(std::string_view line, char delimiter, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (true) {
    std::size_t start = i;
    while (start < n && IsSpace(line[start])) ++start;
    if (start < n && line[start] == '"') {
      std::size_t close = start + 1;
      while ((close = line.find('"', close)) != std::string_view::npos && close + 1 < n &&
             line[close + 1] == '"') {
        close += 2;
      }
      if (close == std::string_view::npos) return false;
      out.push_back(line.substr(start + 1, close - start - 1));
      std::size_t next = close + 1;
      while (next < n && IsSpace(line[next])) ++next;
      if (next == n) return true;
      if (line[next] != delimiter) return false;
      i = next + 1;
      continue;
    }
    const std::size_t pos = line.find(delimiter, i);
    if (pos == std::string_view::npos) {
      out.push_back(TrimSpaces(line.substr(i)));
      return true;
    }
    out.push_back(TrimSpaces(line.substr(i, pos - i)));
    i = pos + 1;
  }
}

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return IsSpace(c) || c == '\r'; });
}

const std::string kNoReason;

}  // namespace

const std::string& BarSource::first_skip_reason() const { return kNoReason; }

CsvBarSource::CsvBarSource(std::string path, std::FILE* file, CsvOptions options)
    : path_(std::move(path)),
      shown_path_(EscapeControl(path_)),
      file_(file),
      options_(options),
      buffer_(kBufferSize) {
  fields_.reserve(16);
}

CsvBarSource::~CsvBarSource() { std::fclose(file_); }

Result<std::unique_ptr<CsvBarSource>> CsvBarSource::Open(const std::string& path,
                                                         CsvOptions options) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Fail(ErrorCode::kNotFound,
                EscapeControl(path) + ": cannot open: " + std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fileno(file), &info) == 0 && S_ISDIR(info.st_mode)) {
    std::fclose(file);
    return Fail(ErrorCode::kInvalidArgument,
                EscapeControl(path) + ": is a folder, not a CSV file of bars");
  }
  std::unique_ptr<CsvBarSource> source(new CsvBarSource(path, file, options));
  source->DetectLineEnd();
  if (auto header = source->ReadHeader(); !header) return tl::unexpected(header.error());
  return source;
}

std::string CsvBarSource::Where() const { return shown_path_ + ":" + std::to_string(line_number_); }

bool CsvBarSource::Fill() {
  if (eof_) return false;
  // Move the unread part to the front and fill the rest of the buffer.
  std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  end_ += got;
  if (got == 0) {
    eof_ = true;
    if (std::ferror(file_)) read_errno_ = errno;
  }
  return got > 0;
}

void CsvBarSource::DetectLineEnd() {
  Fill();
  for (std::size_t i = begin_; i < end_; ++i) {
    if (buffer_[i] == '\n') return;
    if (buffer_[i] == '\r') {
      if (i + 1 < end_ && buffer_[i + 1] != '\n') line_end_ = '\r';
      return;
    }
  }
}

bool CsvBarSource::ReadLine(std::string_view& line) {
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* end = std::memchr(start, line_end_, end_ - begin_);
    if (end != nullptr || (eof_ && begin_ < end_)) {
      const std::size_t len = end ? static_cast<const char*>(end) - start : end_ - begin_;
      line = std::string_view(start, len);
      begin_ += len + (end ? 1 : 0);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_number_;
      return true;
    }
    if (eof_) return false;
    if (begin_ == 0 && end_ == buffer_.size()) {
      // A line longer than the buffer: hand it over whole so that the row check reports it.
      line = std::string_view(buffer_.data(), end_);
      begin_ = end_;
      ++line_number_;
      return true;
    }
    Fill();
  }
}

Result<void> CsvBarSource::ReadHeader() {
  std::string_view header;
  if (!ReadLine(header)) {
    if (read_errno_ != 0) {
      return Fail(ErrorCode::kIo, shown_path_ + ": read error: " + std::strerror(read_errno_));
    }
    return Fail(ErrorCode::kParse, shown_path_ + ": the file is empty");
  }
  if (header.substr(0, 3) == "\xEF\xBB\xBF") header.remove_prefix(3);
  delimiter_ =
      header.find(';') != std::string_view::npos && header.find(',') == std::string_view::npos
          ? ';'
          : ',';
  if (!Split(header, delimiter_, fields_)) {
    return Fail(ErrorCode::kParse, Where() + ": a quoted column name does not close");
  }
  field_count_ = static_cast<int>(fields_.size());
  std::vector<std::string> names;
  for (int i = 0; i < field_count_; ++i) {
    std::string name = Lower(fields_[i]);
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (names[j] != name) continue;
      return Fail(ErrorCode::kParse, Where() + ": the header names the column " +
                                         Quoted(fields_[i]) + " twice (columns " +
                                         std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                                         ")");
    }
    int* slot = name == "date"                              ? &columns_.date
                : name == "time"                            ? &columns_.time
                : name == "timestamp" || name == "datetime" ? &columns_.timestamp
                : name == "open"                            ? &columns_.open
                : name == "high"                            ? &columns_.high
                : name == "low"                             ? &columns_.low
                : name == "close"                           ? &columns_.close
                : name == "volume"                          ? &columns_.volume
                                                            : nullptr;
    if (slot != nullptr) *slot = i;
    names.push_back(std::move(name));
  }
  auto missing = [&](const char* name) {
    return Fail(ErrorCode::kParse, Where() + ": header has no " + name + " column");
  };
  // An unnamed first column holds the times in pandas' default export (`,Open,High,...`).
  if (columns_.date < 0 && columns_.timestamp < 0 && names[0].empty()) columns_.timestamp = 0;
  if (columns_.date < 0 && columns_.timestamp < 0) return missing("Date or Timestamp");
  if (columns_.date >= 0 && columns_.timestamp >= 0) {
    return Fail(ErrorCode::kParse,
                Where() + ": the header has both a Date and a Timestamp column; keep one");
  }
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
    if (IsBlank(line)) continue;
    Result<Bar> row = ParseRow(line);
    if (row) {
      if (!has_last_ && columns_.timestamp >= 0) intraday_ = !IsMidnight(row->time);
      bar = *row;
      last_ = bar;
      has_last_ = true;
      ++bars_;
      return true;
    }
    if (options_.on_bad_row == BadRowPolicy::kStop) return tl::unexpected(row.error());
    if (skipped_++ == 0) first_skip_ = row.error().message;
  }
  if (read_errno_ != 0) {
    return Fail(ErrorCode::kIo, shown_path_ + ": read error: " + std::strerror(read_errno_));
  }
  if (bars_ == 0) {
    if (skipped_ > 0) {
      return Fail(ErrorCode::kParse, shown_path_ + ": no bars: all " + std::to_string(skipped_) +
                                         " rows are bad (first: " + first_skip_ + ")");
    }
    return Fail(ErrorCode::kParse, shown_path_ + ": no bars: the file has a header only");
  }
  return false;
}

Result<Bar> CsvBarSource::ParseRow(std::string_view line) {
  if (line.size() >= kBufferSize) {
    return Fail(ErrorCode::kParse, Where() + ": line is longer than 64 KiB");
  }
  if (!Split(line, delimiter_, fields_)) {
    return Fail(ErrorCode::kParse,
                Where() + ": a quoted field does not close, or has text after its closing quote");
  }
  if (static_cast<int>(fields_.size()) != field_count_) {
    std::string message = Where() + ": expected " + std::to_string(field_count_) +
                          " fields as in the header, found " + std::to_string(fields_.size());
    if (static_cast<int>(fields_.size()) > field_count_ && delimiter_ == ',') {
      message += " (a number with a thousands separator or a decimal comma?)";
    }
    return Fail(ErrorCode::kParse, std::move(message));
  }
  Bar bar;
  const bool stamped = columns_.timestamp >= 0;
  Result<Timestamp> time =
      stamped ? ParseTimestamp(fields_[columns_.timestamp]) : ParseDate(fields_[columns_.date]);
  if (!time) {
    return Fail(ErrorCode::kParse,
                Where() + (stamped ? ": timestamp: " : ": date: ") + time.error().message);
  }
  if (columns_.time >= 0) {
    Result<Timestamp> of_day = ParseTimeOfDay(fields_[columns_.time]);
    if (!of_day) return Fail(ErrorCode::kParse, Where() + ": time: " + of_day.error().message);
    *time += *of_day;
  }
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
  int decimals = 0;
  for (const Field& f : numeric) {
    int digits = 0;
    Result<Decimal> value = Decimal::Parse(fields_[f.column], digits);
    if (!value)
      return Fail(ErrorCode::kParse, Where() + ": " + f.name + ": " + value.error().message);
    if (value->Abs() > kMaxInputMagnitude) {
      return Fail(ErrorCode::kInvalidArgument, Where() + ": " + f.name + " " + value->ToString() +
                                                   " is beyond the input limit of 1e12");
    }
    if (f.out != &bar.volume) decimals = std::max(decimals, digits);
    *f.out = *value;
  }
  bar.decimals = static_cast<std::uint8_t>(decimals);
  const Bar* previous = has_last_ ? &last_ : nullptr;
  if (!MeetsBarRules(bar, previous, options_.rules)) [[unlikely]] {
    Result<void> broken = CheckBar(bar, previous, options_.rules, intraday_);
    return Fail(broken.error().code, Where() + ": " + broken.error().message);
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
