// Bar sources: streams of validated bars, one symbol each.
//
//   auto source = CsvBarSource::Open("data/daily/orcl-1995-2014.csv", {});
//   if (!source) return Report(source.error());
//   Bar bar;
//   while (true) {
//     Result<bool> got = (*source)->Next(bar);
//     if (!got) return Report(got.error());   // "orcl.csv:1234: high 10.5 is below low 11"
//     if (!*got) break;                         // end of data
//     Use(bar);
//   }
//
// CSV files are header-driven: column names decide, case-insensitively: `Date` plus an
// optional `Time`, or one `Timestamp`/`Datetime` column (or an unnamed first column, as pandas
// writes its index); `Open`, `High`, `Low`, `Close`,
// `Volume`; other columns (`Adj Close`, `OpenInterest`) are ignored. The validation policy, every
// breach an error `FILE:LINE: reason` with control bytes escaped:
// - the header: no column named twice; every required column present;
// - each row: exactly as many fields as the header (a field in double quotes may hold the
//   delimiter, RFC 4180); numbers in plain decimals (no exponent, at most 12 fractional digits,
//   magnitudes up to kMaxInputMagnitude); dates within the supported years (timestamp.h); then
//   the bar rules of bar.h (prices in order and positive unless allowed, volume >= 0, times
//   strictly increasing);
// - the file: at least one bar (a header alone is "no bars").
// Comma or semicolon (whichever the header uses), LF, CRLF or lone-CR line ends and a UTF-8
// byte order mark are accepted; blank lines are skipped. Memory does not grow with the file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/error.h"

namespace wyckoff::engine {

enum class BadRowPolicy { kStop, kSkip };

// How far a source has read: `done` of `total` units (bytes of a CSV file; bars of a cache
// entry or of bars in memory). {0, 0} when the source does not know.
struct ReadProgress {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  bool bytes = false;  // the units are bytes (else bars)
};

class BarSource {
 public:
  virtual ~BarSource() = default;
  // Reads the next bar into `bar`: true when it did, false at the end of the data, or the
  // error that stops the run (a bad row under BadRowPolicy::kStop, or an I/O failure).
  virtual Result<bool> Next(Bar& bar) = 0;
  // True when the bars carry a time of day (intraday data); false for daily bars.
  virtual bool intraday() const = 0;
  // Rows skipped under BadRowPolicy::kSkip, and the message of the first one.
  virtual std::int64_t skipped_rows() const { return 0; }
  virtual const std::string& first_skip_reason() const;
  // How far it has read, for a progress bar (not for every bar: it may cost a system call).
  virtual ReadProgress progress() const { return {}; }
};

struct CsvOptions {
  BadRowPolicy on_bad_row = BadRowPolicy::kStop;
  BarRules rules;
};

class CsvBarSource final : public BarSource {
 public:
  // Opens `path` and reads its header. Errors: the file cannot be opened or is a folder, it is
  // empty, or the header names a column twice or lacks a required one (named in the message).
  // Next() fails at the end of a file that held no bar.
  static Result<std::unique_ptr<CsvBarSource>> Open(const std::string& path, CsvOptions options);
  // The same reader over CSV text in memory (a body posted to `wyckoff serve`), copied: its
  // errors say `line N: reason` instead of `FILE:N: reason`; an empty text is "the body is
  // empty", a header alone "no bars: the body has a header only".
  static Result<std::unique_ptr<CsvBarSource>> OpenText(std::string_view text, CsvOptions options);
  ~CsvBarSource() override;

  Result<bool> Next(Bar& bar) override;
  bool intraday() const override { return intraday_; }
  std::int64_t skipped_rows() const override { return skipped_; }
  // Rows read by the fast path for plain rows of the common layout (the rest went through the
  // general parser, which reads every form and words every error).
  std::int64_t fast_rows() const { return fast_rows_; }
  const std::string& first_skip_reason() const override { return first_skip_; }
  // The line the last bar (or error) came from, counting from 1 at the header.
  std::int64_t line_number() const { return line_number_; }
  // Bytes of the file behind the last bar, of the file's size when it opened.
  ReadProgress progress() const override {
    return {read_bytes_ - (end_ - begin_), file_bytes_, true};
  }

  // Column indices of the fields, -1 when absent.
  struct Columns {
    int date = -1, time = -1, timestamp = -1;
    int open = -1, high = -1, low = -1, close = -1, volume = -1;
  };

 private:
  CsvBarSource(std::string path, std::FILE* file, CsvOptions options);
  Result<void> ReadHeader();
  // LF (also CRLF) or lone CR, from the first line end of the file.
  void DetectLineEnd();
  // Reads more of the file behind the unread part; false at the end or on a read error.
  bool Fill();
  // Returns the next line without its end-of-line, or false at the end of the file.
  bool ReadLine(std::string_view& line);
  Result<Bar> ParseRow(std::string_view line);
  // The common layout's fast path: true when `line` is a plain row (no quotes or padding,
  // dates as YYYY-MM-DD, numbers as [-]digits[.digits]) that meets every rule; `bar` is then
  // exactly what the general path would make. False sends the row to the general path, which
  // decides (and words any error).
  bool ParseRowFast(std::string_view line, Bar& bar);
  // FastDate with the last date it read remembered: a 1-minute file repeats each date on
  // every row of that day.
  bool CachedDate(std::string_view field, std::int64_t& days);
  std::string Where() const;

  std::string path_;
  std::string shown_path_;  // path_ with control bytes escaped, for messages
  std::FILE* file_;
  CsvOptions options_;
  Columns columns_;
  // What each column holds, by index: the fast path's dispatch table.
  enum class Role : std::uint8_t { kIgnore, kDate, kTime, kTimestamp, kPrice, kVolume };
  std::vector<Role> roles_;
  std::vector<Decimal*> targets_;  // for price columns: a member of scratch_
  Bar scratch_;
  char delimiter_ = ',';
  int field_count_ = 0;
  bool intraday_ = false;
  std::int64_t line_number_ = 0;
  Bar last_;
  bool has_last_ = false;
  bool has_cached_date_ = false;
  char cached_date_[10] = {};     // the text of the last date the fast path read
  std::int64_t cached_days_ = 0;  // and its day number
  std::int64_t bars_ = 0;
  char line_end_ = '\n';
  int read_errno_ = 0;
  std::int64_t skipped_ = 0;
  std::int64_t fast_rows_ = 0;
  std::string first_skip_;
  std::vector<char> buffer_;  // read buffer, fixed size
  std::size_t begin_ = 0, end_ = 0;
  std::uint64_t read_bytes_ = 0;  // bytes read into the buffer so far
  std::uint64_t file_bytes_ = 0;  // the file's size (0 for a body in memory)
  bool eof_ = false;
  std::vector<std::string_view> fields_;  // reused for every row
  std::unique_ptr<std::string> text_;     // what file_ reads, for OpenText
};

// A source over bars already in memory, which it does not own (searches replay theirs from
// columns: ColumnBarSource, bar_columns.h).
class SpanBarSource final : public BarSource {
 public:
  SpanBarSource(std::span<const Bar> bars, bool intraday) : bars_(bars), intraday_(intraday) {}
  Result<bool> Next(Bar& bar) override {
    if (next_ == bars_.size()) return false;
    bar = bars_[next_++];
    return true;
  }
  bool intraday() const override { return intraday_; }
  ReadProgress progress() const override { return {next_, bars_.size()}; }

 private:
  std::span<const Bar> bars_;
  bool intraday_;
  std::size_t next_ = 0;
};

// Reads a whole source into memory (for tests, searches and tools that need random access).
Result<std::vector<Bar>> ReadAll(BarSource& source);

}  // namespace wyckoff::engine
