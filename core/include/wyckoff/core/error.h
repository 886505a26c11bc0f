// Error values for bad input: files, rows, command-line values, database answers.
//
// Bad input is expected, so it travels as a value, never as an exception:
//
//   tl::expected<Bar, Error> row = ParseRow(...);
//   if (!row) { std::cerr << row.error().message << "\n"; return 2; }
//
// A broken invariant is a bug instead: WYCKOFF_CHECK aborts with file and line.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace wyckoff {

enum class ErrorCode {
  kInvalidArgument,  // a value the user gave (flag, parameter, row field) is not acceptable
  kParse,            // text that does not parse as the expected type
  kNotFound,         // a file, symbol or record that does not exist
  kOverflow,         // exact arithmetic left the representable range
  kIo,               // reading or writing failed
  kDatabase,         // the database refused or failed
};

struct Error {
  ErrorCode code = ErrorCode::kInvalidArgument;
  // One line, full words, with the bad value and where it came from
  // (`orcl.csv:1234: high 10.50 is below low 11.00`).
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the unexpected value for a Result: `return Fail(ErrorCode::kParse, "...")`.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

// `text` with every control byte (below 0x20, and 0x7f) written as an escape (\r, \n, \t, \0
// or \xNN), so that a message echoing user input stays one printable line.
std::string EscapeControl(std::string_view text);

// `text` in double quotes for a message: control bytes escaped, and cut to its first 40 bytes
// (then "...") so that a runaway field does not flood the line.
std::string Quoted(std::string_view text);

// Aborts the process after printing the condition and where it failed. Always on.
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line,
                              const char* detail);

}  // namespace wyckoff

#define WYCKOFF_CHECK(condition, detail)                                \
  do {                                                                  \
    if (!(condition)) [[unlikely]]                                      \
      ::wyckoff::CheckFailed(#condition, __FILE__, __LINE__, (detail)); \
  } while (false)
