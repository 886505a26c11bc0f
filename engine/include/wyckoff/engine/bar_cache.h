// The stage cache of parsed bar files (`--cache DIR`, or $WYCKOFF_CACHE).
//
//   BarCache cache("/var/cache/wyckoff");
//   Result<CachedSource> opened = cache.Open("orcl.csv", csv_options);
//   opened->source->Next(bar) ...       // the very bars, skips and errors CsvBarSource gives
//
// A CSV file is parsed once: its bars are stored as a compact binary columnar file named by
// the hash of the CSV's bytes (XXH3, 128 bits), the reader's and the format's versions and
// the options that change what it reads (bad-row policy, price rules). A later Open of the same
// bytes maps that file and decodes its columns instead of parsing: a changed byte, a new
// reader version or other options is a miss. Hashing 100 MB costs as much as the rest of a
// hit, so the hash is also remembered against the file's identity (device, inode, size,
// modification and change times) in a memo beside the entries, "ident-DEVICE-INODE": while
// the file keeps that identity, Open does not read it at all. On a local file system any
// write changes the change time, which no one can set back; writes within one tick of the
// file system's clock are covered by writing the memo only for a file unchanged for `settle`
// (2 s) before Open looked at it. Network and FUSE file systems get no memo; writes through a
// shared memory mapping change the times only when a page is first dirtied (as for git's index
// or make, which trust the same fields).
//
// The entry is written while the bars are first read (a block of kBlockBars at a time, so
// memory stays flat) under a temporary name and renamed into place only after the last bar: a
// run that fails, stops early or is killed leaves no entry, and concurrent runs never see half
// a file (the last rename wins; both files are whole and equal). A file that fails its checks
// (size, magic, versions, the blocks' bar counts, layouts and bounds, the header's checksum)
// is treated as a miss and written again. Writing the cache is best effort: when it fails (a
// full disk), the run goes on from the CSV and says nothing.
//
// Integrity: every block carries a checksum of its bytes, verified as the reader enters it; a
// damaged block (a flipped bit on disk) removes the entry and the rest of the bars come from
// the CSV itself, so a damaged entry is never read as bars. The CSV's identity (device, inode,
// size, modification and change times) is taken before its bytes are hashed and checked again
// after its last bar is parsed: a file rewritten in between is not stored (under a hash that
// no longer describes it).
//
// The file (native byte order; a different machine's file fails the magic check):
//   header (64 bytes): magic "WYKBARS1", format version (3), reader version, bar count,
//                      intraday, skipped rows, length of the first skip's reason, file size,
//                      XXH3-64 of the header and the reason
//   blocks of up to kBlockBars bars: a 16-byte block header (bar count, the layout of the
//     five value columns, XXH3-64 of the block's columns seeded with those two), then the
//     columns: time (int64), decimals (uint8, padded to 16), open, high, low, close, volume.
//     A value column holds Decimal's raw values divided by 10^e, the largest power of ten
//     (up to 10^12) that divides all of the block's (BarColumns' scaled form), as int32 when
//     every one fits, else int64; or the raws themselves as int128 when even that does not
//     fit. The layout gives each column's width and e, 6 bits a column.
//   the first skip's reason (padded to 16 bytes).
// 29 bytes per bar for prices with a few decimals and whole volumes (a Bar is 96), against 55
// bytes of CSV for a 1-minute bar.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {

// Bumped whenever CsvBarSource could read the same bytes differently (a rule, a message, a
// rounding): every cache entry of an older reader becomes a miss.
inline constexpr std::uint32_t kCsvReaderVersion = 1;

struct CachedSource {
  std::unique_ptr<BarSource> source;
  bool hit = false;             // mapped from the cache (else read from the CSV, and stored)
  std::filesystem::path entry;  // the cache file of these bytes
  bool hashed = true;           // the CSV's bytes were hashed (else the memo of its identity
                                // gave the hash: the CSV was not read at all)
};

class BarCache {
 public:
  static constexpr std::uint32_t kBlockBars = 65536;

  // Uses `dir` (created on the first Open when missing). A file's hash is remembered against
  // its identity only once its last change is `settle` old (see the memo above; tests shorten
  // it).
  explicit BarCache(std::filesystem::path dir,
                    std::chrono::nanoseconds settle = std::chrono::seconds(2));

  // The bars of the CSV file `path`. Errors: those of CsvBarSource::Open, and (kInvalidArgument)
  // the cache folder that cannot be created or is not a folder ("cache folder DIR: reason").
  Result<CachedSource> Open(const std::string& path, const CsvOptions& options) const;

  // The entry's file name for these bytes and options ("<32 hex digits>-stop-r1-f3.bars").
  static std::string EntryName(std::string_view hash_hex, const CsvOptions& options);

 private:
  std::filesystem::path dir_;
  std::chrono::nanoseconds settle_;
};

}  // namespace wyckoff::engine
