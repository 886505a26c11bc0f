#include <sys/stat.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include "wyckoff/core/calendar.h"
#include "wyckoff/engine/bar_columns.h"
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

// The first `c` in data[from, size), or `size`: a word of eight bytes at a time, each byte
// compared at once (a byte equal to `c` becomes zero; the lowest zero byte's high bit is the
// lowest bit set in `found`, the bits above it may be borrows), then byte by byte at the end.
std::size_t FindByte(const char* data, std::size_t from, std::size_t size, char c) {
  static_assert(std::endian::native == std::endian::little, "the lowest byte comes first");
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const std::uint64_t pattern = kOnes * static_cast<unsigned char>(c);
  std::size_t i = from;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    const std::uint64_t x = word ^ pattern;
    const std::uint64_t found = (x - kOnes) & ~x & kHighs;
    if (found != 0) return i + static_cast<std::size_t>(std::countr_zero(found) / 8);
  }
  while (i < size && data[i] != c) ++i;
  return i;
}

// "YYYY-MM-DD" in the supported years as days since 1970-01-01; false otherwise.
bool FastDate(std::string_view s, std::int64_t& days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int v[8];
  constexpr int kAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    v[i] = s[static_cast<std::size_t>(kAt[i])] - '0';
    if (v[i] < 0 || v[i] > 9) return false;
  }
  const CivilDate date{v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5],
                       v[6] * 10 + v[7]};
  if (date.year < kFirstSupportedYear || date.year > kLastSupportedYear || !IsValidDate(date)) {
    return false;
  }
  days = DaysFromCivil(date);
  return true;
}

// "HH:MM:SS" or "HH:MM" as nanoseconds after midnight; false otherwise.
bool FastTime(std::string_view s, Timestamp& t) {
  if ((s.size() != 8 && s.size() != 5) || s[2] != ':' || (s.size() == 8 && s[5] != ':')) {
    return false;
  }
  auto two = [&](std::size_t at, int& out) {
    const int a = s[at] - '0', b = s[at + 1] - '0';
    out = a * 10 + b;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9;
  };
  int h = 0, m = 0, sec = 0;
  if (!two(0, h) || !two(3, m) || (s.size() == 8 && !two(6, sec))) return false;
  if (h > 23 || m > 59 || sec > 59) return false;
  t = (static_cast<Timestamp>(h) * 3600 + m * 60 + sec) * kNanosPerSecond;
  return true;
}

// [-]digits[.digits] at data[begin, size), with at most 13 integer and 12 fractional digits,
// within the input limit of 1e12, as a Decimal and its fractional digits. Returns the index of
// the first byte after the number, which the caller checks ends the field (one pass: the
// digits are read without searching for the delimiter first); kNoNumber otherwise (the
// general parser words the error, or accepts the rarer forms: "+5", ".5", "5.").
constexpr std::size_t kNoNumber = std::string_view::npos;
std::size_t FastDecimal(const char* data, std::size_t begin, std::size_t size, Decimal& out,
                        int& fraction_digits) {
  std::size_t i = begin;
  const bool negative = i < size && data[i] == '-';
  i += negative ? 1 : 0;
  std::uint64_t whole = 0;
  const std::size_t int_begin = i;
  for (; i < size && static_cast<unsigned>(data[i] - '0') <= 9; ++i) {
    whole = whole * 10 + static_cast<unsigned>(data[i] - '0');
  }
  const std::size_t int_digits = i - int_begin;
  if (int_digits == 0 || int_digits > 13) return kNoNumber;
  std::uint64_t fraction = 0;
  int digits = 0;
  if (i < size && data[i] == '.') {
    for (++i; i < size && static_cast<unsigned>(data[i] - '0') <= 9; ++i, ++digits) {
      fraction = fraction * 10 + static_cast<unsigned>(data[i] - '0');
    }
    if (digits == 0 || digits > Decimal::kScale) return kNoNumber;
  }
  const auto raw =
      static_cast<Decimal::Raw>(whole) * Decimal::kOne +
      static_cast<Decimal::Raw>(
          fraction * static_cast<std::uint64_t>(Decimal::kPow10[Decimal::kScale - digits]));
  if (raw > kMaxInputMagnitude.raw()) return kNoNumber;
  out = Decimal::FromRaw(negative ? -raw : raw);  // "-0" is 0: FromRaw(-0) is 0
  fraction_digits = digits;
  return i;
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
  source->file_bytes_ = static_cast<std::uint64_t>(info.st_size);
  source->DetectLineEnd();
  if (auto header = source->ReadHeader(); !header) return tl::unexpected(header.error());
  return source;
}

Result<std::unique_ptr<CsvBarSource>> CsvBarSource::OpenText(std::string_view text,
                                                             CsvOptions options) {
  if (text.empty()) return Fail(ErrorCode::kParse, "the body is empty");
  auto owned = std::make_unique<std::string>(text);
  std::FILE* file = fmemopen(owned->data(), owned->size(), "rb");
  if (file == nullptr) {
    return Fail(ErrorCode::kIo, std::string("cannot read the body: ") + std::strerror(errno));
  }
  std::unique_ptr<CsvBarSource> source(new CsvBarSource("body", file, options));
  source->text_ = std::move(owned);
  source->DetectLineEnd();
  if (auto header = source->ReadHeader(); !header) return tl::unexpected(header.error());
  return source;
}

std::string CsvBarSource::Where() const {
  if (text_) return "line " + std::to_string(line_number_);
  return shown_path_ + ":" + std::to_string(line_number_);
}

bool CsvBarSource::Fill() {
  if (eof_) return false;
  // Move the unread part to the front and fill the rest of the buffer.
  std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  end_ += got;
  read_bytes_ += got;
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
    if (text_) return Fail(ErrorCode::kParse, "the body is empty");
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
  roles_.assign(static_cast<std::size_t>(field_count_), Role::kIgnore);
  targets_.assign(static_cast<std::size_t>(field_count_), nullptr);
  auto role = [&](int column, Role r, Decimal* target = nullptr) {
    if (column < 0) return;
    roles_[static_cast<std::size_t>(column)] = r;
    targets_[static_cast<std::size_t>(column)] = target;
  };
  role(columns_.date, Role::kDate);
  role(columns_.time, Role::kTime);
  role(columns_.timestamp, Role::kTimestamp);
  role(columns_.open, Role::kPrice, &scratch_.open);
  role(columns_.high, Role::kPrice, &scratch_.high);
  role(columns_.low, Role::kPrice, &scratch_.low);
  role(columns_.close, Role::kPrice, &scratch_.close);
  role(columns_.volume, Role::kVolume, &scratch_.volume);
  return {};
}

Result<bool> CsvBarSource::Next(Bar& bar) {
  std::string_view line;
  while (ReadLine(line)) {
    if (IsBlank(line)) continue;
    if (ParseRowFast(line, scratch_)) [[likely]] {
      ++fast_rows_;
      if (!has_last_ && columns_.timestamp >= 0) intraday_ = !IsMidnight(scratch_.time);
      bar = scratch_;
      last_ = bar;
      has_last_ = true;
      ++bars_;
      return true;
    }
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
    if (text_) return Fail(ErrorCode::kParse, "no bars: the body has a header only");
    return Fail(ErrorCode::kParse, shown_path_ + ": no bars: the file has a header only");
  }
  return false;
}

bool CsvBarSource::CachedDate(std::string_view field, std::int64_t& days) {
  if (has_cached_date_ && field.size() == sizeof cached_date_ &&
      std::memcmp(field.data(), cached_date_, sizeof cached_date_) == 0) {
    days = cached_days_;
    return true;
  }
  if (!FastDate(field, days)) return false;
  std::memcpy(cached_date_, field.data(), sizeof cached_date_);  // FastDate took 10 bytes
  cached_days_ = days;
  has_cached_date_ = true;
  return true;
}

bool CsvBarSource::ParseRowFast(std::string_view line, Bar& bar) {
  // NOTE: `bar` is scratch_, whose members targets_ point into.
  std::size_t begin = 0;
  int decimals = 0;
  std::int64_t days = 0;
  Timestamp time_of_day = 0;
  // Fields are short: eight bytes at a time (FindByte) finds each delimiter sooner than a call
  // to memchr or a byte loop.
  const char* const data = line.data();
  const std::size_t size = line.size();
  for (std::size_t column = 0; column < roles_.size(); ++column) {
    const bool last = column + 1 == roles_.size();
    if (roles_[column] == Role::kPrice || roles_[column] == Role::kVolume) {
      int digits = 0;
      const std::size_t end = FastDecimal(data, begin, size, *targets_[column], digits);
      // The number must be the whole field: the delimiter, or the end of the last field.
      if (end == kNoNumber || (last ? end != size : end == size || data[end] != delimiter_)) {
        return false;
      }
      if (roles_[column] == Role::kPrice) decimals = std::max(decimals, digits);
      begin = end + 1;
      continue;
    }
    std::size_t stop = size;
    if (!last) {
      stop = FindByte(data, begin, size, delimiter_);
      if (stop == size) return false;  // too few fields
    }
    const std::string_view field(data + begin, stop - begin);
    begin = stop + 1;
    switch (roles_[column]) {
      case Role::kIgnore:
        // A last column runs to the end of the row: a delimiter in it is a field too many,
        // which the general parser counts and words.
        if (field.find('"') != std::string_view::npos ||
            (last && field.find(delimiter_) != std::string_view::npos)) {
          return false;
        }
        break;
      case Role::kDate:
        if (!CachedDate(field, days)) return false;
        break;
      case Role::kTime:
        if (!FastTime(field, time_of_day)) return false;
        break;
      case Role::kTimestamp:
        if (field.size() == 10) {
          if (!CachedDate(field, days)) return false;
        } else if (field.size() != 19 || (field[10] != ' ' && field[10] != 'T') ||
                   !CachedDate(field.substr(0, 10), days) ||
                   !FastTime(field.substr(11), time_of_day)) {
          return false;
        }
        break;
      case Role::kPrice:
      case Role::kVolume:
        break;  // read above
    }
  }
  // A quoted row never gets here: every field is either parsed by a reader that takes digits,
  // '-', '.' and ':' only, or searched for '"' above; the general splitter takes quotes.
  bar.time = days * kNanosPerDay + time_of_day;
  bar.decimals = static_cast<std::uint8_t>(decimals);
  return MeetsBarRules(bar, has_last_ ? &last_ : nullptr, options_.rules);
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

namespace {

// Reads every bar of `source` into `bars` (a std::vector<Bar> or BarColumns), sized once from
// the source's progress (exact in bars; for a file, its size over the bytes of the first bars,
// with 3% to spare), not by doubling: a vector grown by doubling peaks at up to three times its
// bars while it moves them.
template <typename Bars>
Result<void> ReadInto(BarSource& source, Bars& bars) {
  constexpr std::size_t kSample = 4096;
  Bar bar;
  while (true) {
    Result<bool> got = source.Next(bar);
    if (!got) return tl::unexpected(got.error());
    if (!*got) break;
    bars.push_back(bar);
    if (bars.size() == 1 || bars.size() == kSample) {
      const ReadProgress read = source.progress();
      if (!read.bytes && read.total > 0) {
        bars.reserve(read.total);
      } else if (read.bytes && read.done > 0 && bars.size() == kSample) {
        bars.reserve(static_cast<std::size_t>(static_cast<double>(read.total) /
                                              static_cast<double>(read.done) * kSample * 1.03) +
                     kSample);
      }
    }
  }
  return {};
}

}  // namespace

Result<std::vector<Bar>> ReadAll(BarSource& source) {
  std::vector<Bar> bars;
  if (auto read = ReadInto(source, bars); !read) return tl::unexpected(read.error());
  if (bars.capacity() - bars.size() > bars.size() / 8) bars.shrink_to_fit();
  return bars;
}

Result<BarColumns> ReadColumns(BarSource& source) {
  BarColumns bars;
  if (auto read = ReadInto(source, bars); !read) return tl::unexpected(read.error());
  // Shrunk a column at a time (each copy at most 8 bytes a bar, against the 96 of a Bar), so
  // that bytes() is what the bars need.
  bars.shrink_to_fit();
  return bars;
}

}  // namespace wyckoff::engine
