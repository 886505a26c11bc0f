// Fuzz target csv_bar_reader: engine::CsvBarSource over arbitrary bytes, through its public API
// only (Open, Next, skipped_rows), under both bad-row policies (the first byte picks one).
//
// Property: no crash, no sanitizer report, and every failure is a non-empty error message.
// NOTE: it asserts nothing about which rows are valid: those rules belong to the reader and
// change with it.
#include <cstddef>
#include <cstdint>

#include "memory_file.h"
#include "wyckoff/engine/bar_source.h"

namespace {

using wyckoff::engine::BadRowPolicy;
using wyckoff::engine::CsvBarSource;
using wyckoff::fuzz::PropertyFailed;

// More bars than any input of libFuzzer's default lengths can hold; a guard, not a limit.
constexpr int kMaxBars = 1 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wyckoff::fuzz::MemoryFile file;
  if (size == 0) return 0;
  const BadRowPolicy policy = (data[0] & 1) != 0 ? BadRowPolicy::kSkip : BadRowPolicy::kStop;
  auto source = CsvBarSource::Open(file.Write(data + 1, size - 1), {.on_bad_row = policy});
  if (!source) {
    if (source.error().message.empty()) PropertyFailed("Open failed without a message");
    return 0;
  }
  wyckoff::Bar bar;
  for (int i = 0; i < kMaxBars; ++i) {
    auto got = (*source)->Next(bar);
    if (!got) {
      if (got.error().message.empty()) PropertyFailed("Next failed without a message");
      break;
    }
    if (!*got) break;
  }
  if ((*source)->skipped_rows() > 0 && (*source)->first_skip_reason().empty()) {
    PropertyFailed("rows skipped without a reason");
  }
  return 0;
}
