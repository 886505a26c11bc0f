#include "wyckoff/engine/bar_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <system_error>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "wyckoff/engine/bar_columns.h"

namespace wyckoff::engine {
namespace {

namespace fs = std::filesystem;
using Raw = Decimal::Raw;

constexpr std::array<char, 8> kMagic = {'W', 'Y', 'K', 'B', 'A', 'R', 'S', '1'};
// 2: checksums in the header and every block; 3: value columns scaled, in 4 bytes when they fit
constexpr std::uint32_t kFormatVersion = 3;
constexpr int kValueColumns = 5;  // open, high, low, close, volume

struct FileHeader {
  std::array<char, 8> magic;
  std::uint32_t format;
  std::uint32_t reader;
  std::uint64_t bars;
  std::uint8_t intraday;
  std::array<std::uint8_t, 7> pad1;
  std::int64_t skipped;
  std::uint32_t reason_length;
  std::uint32_t pad2;
  std::uint64_t file_size;
  std::uint64_t checksum;  // XXH3-64 of this header (checksum 0) and the skip reason's bytes
};
static_assert(sizeof(FileHeader) == 64);

struct BlockHeader {
  std::uint32_t bars;
  std::uint32_t layout;    // the value columns' ColumnLayouts, kLayoutBits each
  std::uint64_t checksum;  // BlockChecksum of the block
};
static_assert(sizeof(BlockHeader) == 16);

// How a block holds a value column: the values raw / 10^exponent (BarColumns' scaled form) in
// 4 or 8 bytes, or the raws themselves in 16 (exponent 0). Prices with a few decimals and whole
// volumes fit 4 bytes: 29 bytes a bar in all, where 8-byte raws took 49.
struct ColumnLayout {
  std::uint32_t bytes = 8;  // 4, 8 or 16
  int exponent = 0;         // 0..12
};
// In BlockHeader::layout, column c's bits [6c, 6c + 6): 2 bits of width (0: 4 bytes, 1: 8,
// 2: 16), then 4 of exponent.
constexpr int kLayoutBits = 6;

using Layout = std::array<ColumnLayout, kValueColumns>;

std::uint32_t Pack(const Layout& columns) {
  std::uint32_t layout = 0;
  for (int c = 0; c < kValueColumns; ++c) {
    const std::uint32_t width = columns[c].bytes == 4 ? 0 : columns[c].bytes == 8 ? 1 : 2;
    const auto bits = width | static_cast<std::uint32_t>(columns[c].exponent) << 2;
    layout |= bits << (kLayoutBits * c);
  }
  return layout;
}

// The columns of `layout`; nullopt when it is not one Pack gives.
std::optional<Layout> Unpack(std::uint32_t layout) {
  if (layout >> (kLayoutBits * kValueColumns) != 0) return std::nullopt;
  Layout columns;
  for (int c = 0; c < kValueColumns; ++c) {
    const std::uint32_t bits = layout >> (kLayoutBits * c) & ((1u << kLayoutBits) - 1);
    const std::uint32_t width = bits & 3;
    const int exponent = static_cast<int>(bits >> 2);
    if (width > 2 || exponent > Decimal::kScale || (width == 2 && exponent != 0)) {
      return std::nullopt;
    }
    columns[c] = {4u << width, exponent};
  }
  return columns;
}

constexpr std::size_t Pad16(std::size_t n) { return (n + 15) / 16 * 16; }

// The bytes of one block of `n` bars laid out as `layout`.
std::size_t BlockSize(std::uint32_t n, const Layout& layout) {
  std::size_t size = sizeof(BlockHeader) + 8 * std::size_t{n} + Pad16(n);
  for (const ColumnLayout& c : layout) size += std::size_t{n} * c.bytes;
  return size;
}

template <typename T>
T Load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A block's checksum: XXH3-64 of its columns (the block's `size` bytes less its header), seeded
// with its bar count and layout.
std::uint64_t BlockChecksum(const BlockHeader& block, std::size_t size,
                            const unsigned char* columns) {
  return XXH3_64bits_withSeed(columns, size - sizeof(BlockHeader),
                              std::uint64_t{block.bars} | std::uint64_t{block.layout} << 32);
}

std::uint64_t HeaderChecksum(FileHeader header, const char* reason) {
  header.checksum = 0;
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, &header, sizeof header);
  XXH3_64bits_update(&state, reason, header.reason_length);
  return XXH3_64bits_digest(&state);
}

// What identifies the bytes of a file without reading them: a file rewritten, truncated or
// replaced changes at least one of these.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{}, changed{};
  bool operator==(const FileIdentity& o) const {
    return device == o.device && inode == o.inode && size == o.size &&
           modified.tv_sec == o.modified.tv_sec && modified.tv_nsec == o.modified.tv_nsec &&
           changed.tv_sec == o.changed.tv_sec && changed.tv_nsec == o.changed.tv_nsec;
  }
};

std::optional<FileIdentity> Identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

// XXH3-128 of the file's bytes as 32 hex digits; "" when it cannot be read (CsvBarSource then
// words the error). Read in 1 MiB blocks: on this project's 2-core machine, copying beat
// mapping with MAP_POPULATE (63 against 73 ms of CPU for 100 MB).
std::string HashFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  XXH3_state_t state;
  XXH3_128bits_reset(&state);
  std::vector<char> buffer(1 << 20);
  bool ok = true;
  while (true) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) ok = false;
    if (got <= 0) break;
    XXH3_128bits_update(&state, buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(fd);
  if (!ok) return "";
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&state));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : canonical.digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

// ---- Remembering a file's hash ----------------------------------------------------------------
//
// The memo of a file's hash against its identity (bar_cache.h says what it trusts): one line
// in "ident-DEVICE-INODE" beside the entries, written only for a file whose last change was
// `settle` before Open first looked at it, so that every write to the bytes it hashed falls in
// a later tick of the file system's clock, and so changes the times.

// A name beside `path` for writing it whole before a rename: unique across processes and
// threads.
fs::path TempPathBeside(const fs::path& path) {
  fs::path temp = path;
  temp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::random_device()());
  return temp;
}

fs::path MemoPath(const fs::path& dir, const FileIdentity& identity) {
  return dir / ("ident-" + std::to_string(identity.device) + "-" + std::to_string(identity.inode));
}

// "wyckoff-ident 1 SIZE MTIME_S MTIME_NS CTIME_S CTIME_NS HASH": the memo's one line.
std::string MemoLine(const FileIdentity& identity, std::string_view hash) {
  return "wyckoff-ident 1 " + std::to_string(identity.size) + " " +
         std::to_string(identity.modified.tv_sec) + " " +
         std::to_string(identity.modified.tv_nsec) + " " + std::to_string(identity.changed.tv_sec) +
         " " + std::to_string(identity.changed.tv_nsec) + " " + std::string(hash) + "\n";
}

// The hash the memo holds for exactly this identity; "" when there is no such memo.
std::string RecalledHash(const fs::path& dir, const FileIdentity& identity) {
  std::FILE* file = std::fopen(MemoPath(dir, identity).c_str(), "rb");
  if (file == nullptr) return "";
  char text[160];
  const std::size_t got = std::fread(text, 1, sizeof text, file);
  std::fclose(file);
  const std::string_view line(text, got);
  constexpr std::size_t kHashDigits = 32;
  if (got < kHashDigits + 1 || got == sizeof text || line.back() != '\n') return "";
  const std::string_view hash = line.substr(got - 1 - kHashDigits, kHashDigits);
  if (hash.find_first_not_of("0123456789abcdef") != std::string_view::npos) return "";
  return line == MemoLine(identity, hash) ? std::string(hash) : "";
}

std::chrono::nanoseconds Nanos(const timespec& t) {
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

// The wall clock, for the memo's settle rule.
std::chrono::nanoseconds Now() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return Nanos(now);
}

// True when a memo may be trusted for files on the file system holding `path`: not on network
// file systems (NFS, SMB/CIFS), whose clients may answer stat from attributes cached for
// seconds, nor FUSE, whose times are whatever the daemon says.
bool LocalFileSystem(const std::string& path) {
  struct statfs fs {};
  if (::statfs(path.c_str(), &fs) != 0) return false;
  constexpr long kNfs = 0x6969, kSmb = 0x517B, kSmb2 = static_cast<long>(0xFE534D42),
                 kCifs = static_cast<long>(0xFF534D42), kFuse = 0x65735546;
  const auto type = static_cast<long>(fs.f_type);
  return type != kNfs && type != kSmb && type != kSmb2 && type != kCifs && type != kFuse;
}

// Writes the memo when the file's last change was at least `settle` before `started`, the
// moment Open first looked at the file (see above): the bytes hashed after it cannot have been
// written within the tick of that change. Best effort, through a temporary file renamed into
// place, so that readers see a whole line.
void Remember(const fs::path& dir, const FileIdentity& identity, const std::string& hash,
              std::chrono::nanoseconds started, std::chrono::nanoseconds settle) {
  if (started - std::max(Nanos(identity.modified), Nanos(identity.changed)) < settle) return;
  const fs::path memo = MemoPath(dir, identity);
  const fs::path temp = TempPathBeside(memo);
  std::FILE* file = std::fopen(temp.c_str(), "wbx");
  if (file == nullptr) return;
  const std::string line = MemoLine(identity, hash);
  const bool written = std::fwrite(line.data(), 1, line.size(), file) == line.size();
  const bool closed = std::fclose(file) == 0;
  std::error_code ec;
  if (!written || !closed || (fs::rename(temp, memo, ec), ec)) fs::remove(temp, ec);
}

// ---- Reading an entry -----------------------------------------------------------------------

// The bars of a checked entry. Each block's checksum is verified as the reader enters it (one
// pass over bytes the decoding reads anyway): a block that fails it (a flipped bit on disk)
// removes the entry, and the bars continue from the CSV file itself, whose bytes the entry was
// found by, after skipping those already delivered. A damaged entry is never read as bars.
class MappedBarSource final : public BarSource {
 public:
  // The source of a whole, checked entry; null when `path` is missing or fails a check.
  static std::unique_ptr<MappedBarSource> Open(const fs::path& path, const std::string& csv_path,
                                               const CsvOptions& options) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* map = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(sizeof(FileHeader))) {
      map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (map == MAP_FAILED) return nullptr;
    std::unique_ptr<MappedBarSource> source(new MappedBarSource(
        static_cast<const unsigned char*>(map), static_cast<std::size_t>(st.st_size)));
    if (!source->Check()) return nullptr;
    source->entry_ = path;
    source->csv_path_ = csv_path;
    source->options_ = options;
    ::madvise(map, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
    return source;
  }
  ~MappedBarSource() override { ::munmap(const_cast<unsigned char*>(data_), size_); }

  Result<bool> Next(Bar& bar) override {
    if (index_ == block_bars_) return NextFromAnotherBlock(bar);
    Decode(bar);
    return true;
  }
  bool intraday() const override { return intraday_; }
  std::int64_t skipped_rows() const override {
    return fallback_ ? fallback_->skipped_rows() : skipped_;
  }
  const std::string& first_skip_reason() const override {
    return fallback_ ? fallback_->first_skip_reason() : reason_;
  }
  ReadProgress progress() const override { return {delivered_, bars_}; }

 private:
  MappedBarSource(const unsigned char* data, std::size_t size) : data_(data), size_(size) {}

  // Out of line, so that Next's path within a block saves no registers for it (56 -> 43
  // instructions a bar).
  [[gnu::noinline]] Result<bool> NextFromAnotherBlock(Bar& bar) {
    if (fallback_) return NextFromCsv(bar);
    if (next_block_ == blocks_end_) return false;
    if (!EnterBlock(next_block_)) {
      if (auto resumed = ResumeFromCsv(); !resumed) return tl::unexpected(resumed.error());
      return NextFromCsv(bar);
    }
    Decode(bar);
    return true;
  }

  // The next bar of the current block.
  void Decode(Bar& bar) {
    const std::size_t i = index_++;
    ++delivered_;
    bar.time = Load<std::int64_t>(times_ + 8 * i);
    bar.decimals = decimals_[i];
    Decimal* targets[kValueColumns] = {&bar.open, &bar.high, &bar.low, &bar.close, &bar.volume};
    if (compact_) {  // the common block: every value in 4 bytes
      for (int c = 0; c < kValueColumns; ++c) {
        *targets[c] = Decimal::FromRaw(Scaled(Load<std::int32_t>(columns_[c] + 4 * i), scales_[c]));
      }
      return;
    }
    for (int c = 0; c < kValueColumns; ++c) {
      const unsigned char* at = columns_[c] + bytes_[c] * i;
      switch (bytes_[c]) {
        case 4:
          *targets[c] = Decimal::FromRaw(Scaled(Load<std::int32_t>(at), scales_[c]));
          break;
        case 8:
          *targets[c] = Decimal::FromRaw(Scaled(Load<std::int64_t>(at), scales_[c]));
          break;
        default:
          *targets[c] = Decimal::FromRaw(Load<Raw>(at));
      }
    }
  }
  // value x scale: one widening multiplication (both within 64 bits; the product within the
  // raw it was written from).
  static Raw Scaled(std::int64_t value, std::int64_t scale) {
    return static_cast<Raw>(value) * static_cast<Raw>(scale);
  }

  // The header, and every block within the file and adding up to the bar count.
  bool Check() {
    const auto header = Load<FileHeader>(data_);
    if (header.magic != kMagic || header.format != kFormatVersion ||
        header.reader != kCsvReaderVersion || header.file_size != size_ || header.bars == 0) {
      return false;
    }
    const std::size_t first = sizeof(FileHeader);
    const std::size_t reason_room = Pad16(header.reason_length);
    if (reason_room > size_ - first) return false;
    blocks_end_ = size_ - reason_room;
    const auto* reason = reinterpret_cast<const char*>(data_) + blocks_end_;
    if (HeaderChecksum(header, reason) != header.checksum) return false;
    reason_.assign(reason, header.reason_length);
    intraday_ = header.intraday != 0;
    skipped_ = header.skipped;
    bars_ = header.bars;
    std::uint64_t bars = 0;
    std::size_t at = first;
    while (at < blocks_end_) {
      const std::optional<BlockInfo> block = ReadBlockHeader(at);
      if (!block) return false;
      bars += block->header.bars;
      at += block->size;
    }
    if (bars != header.bars) return false;
    next_block_ = first;
    return true;
  }

  struct BlockInfo {
    BlockHeader header;
    Layout layout;
    std::size_t size;  // header included
  };
  // The header of the block at `at` when it describes a block that fits before the skip
  // reason (a bar count of 1..kBlockBars, a layout Pack gives), else nullopt. Check walks the
  // blocks with it, and EnterBlock reads it again: a mapping is no snapshot, and a file
  // written in place since Check must not steer the reads.
  std::optional<BlockInfo> ReadBlockHeader(std::size_t at) const {
    if (at > blocks_end_ || blocks_end_ - at < sizeof(BlockHeader)) return std::nullopt;
    const auto header = Load<BlockHeader>(data_ + at);
    if (header.bars == 0 || header.bars > BarCache::kBlockBars) return std::nullopt;
    const std::optional<Layout> layout = Unpack(header.layout);
    if (!layout) return std::nullopt;
    const std::size_t size = BlockSize(header.bars, *layout);
    if (size > blocks_end_ - at) return std::nullopt;
    return BlockInfo{header, *layout, size};
  }

  // Enters the block at `at`; false when it is damaged (its header or its checksum).
  bool EnterBlock(std::size_t at) {
    // The blocks behind are done with: their pages leave the resident set (a mapped file's
    // pages count in it), so that memory stays flat in the bars as when reading the CSV.
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    if (const std::size_t done = at / page * page; done > released_) {
      ::madvise(const_cast<unsigned char*>(data_) + released_, done - released_, MADV_DONTNEED);
      released_ = done;
    }
    const std::optional<BlockInfo> block = ReadBlockHeader(at);
    if (!block) return false;
    const std::uint32_t bars = block->header.bars;
    const unsigned char* p = data_ + at + sizeof(BlockHeader);
    if (BlockChecksum(block->header, block->size, p) != block->header.checksum) return false;
    times_ = p;
    p += 8 * std::size_t{bars};
    decimals_ = p;
    p += Pad16(bars);
    compact_ = true;
    for (int c = 0; c < kValueColumns; ++c) {
      bytes_[c] = block->layout[c].bytes;
      scales_[c] = Decimal::kPow10[block->layout[c].exponent];
      compact_ = compact_ && bytes_[c] == 4;
      columns_[c] = p;
      p += std::size_t{bars} * bytes_[c];
    }
    block_bars_ = bars;
    index_ = 0;
    next_block_ = at + block->size;
    return true;
  }

  Result<bool> NextFromCsv(Bar& bar) {
    Result<bool> got = fallback_->Next(bar);
    if (got && *got) ++delivered_;
    return got;
  }

  // A damaged block: the entry goes, and the CSV gives the rest of the bars.
  Result<void> ResumeFromCsv() {
    std::error_code ec;
    fs::remove(entry_, ec);
    auto csv = CsvBarSource::Open(csv_path_, options_);
    if (!csv) return tl::unexpected(csv.error());
    Bar skipped;
    for (std::uint64_t n = 0; n < delivered_; ++n) {
      auto got = (*csv)->Next(skipped);
      if (!got) return tl::unexpected(got.error());
      if (!*got) return Fail(ErrorCode::kIo, csv_path_ + ": changed while it was read");
    }
    fallback_ = std::move(*csv);
    block_bars_ = index_ = 0;
    return {};
  }

  const unsigned char* data_;
  std::size_t size_;
  fs::path entry_;
  std::string csv_path_;
  CsvOptions options_;
  std::uint64_t delivered_ = 0;          // bars returned so far
  std::uint64_t bars_ = 0;               // in the entry
  std::unique_ptr<BarSource> fallback_;  // the CSV, after a damaged block
  bool intraday_ = false;
  std::int64_t skipped_ = 0;
  std::string reason_;
  std::size_t blocks_end_ = 0;  // the reason follows the blocks
  std::size_t released_ = 0;    // bytes from the start given back (MADV_DONTNEED)
  std::size_t next_block_ = 0;
  std::size_t block_bars_ = 0, index_ = 0;
  const unsigned char* times_ = nullptr;
  const unsigned char* decimals_ = nullptr;
  std::array<const unsigned char*, kValueColumns> columns_{};
  std::array<std::size_t, kValueColumns> bytes_{};    // 4, 8 or 16 (see ColumnLayout)
  std::array<std::int64_t, kValueColumns> scales_{};  // 10^exponent
  bool compact_ = true;                               // every column in 4 bytes
};

// ---- Writing an entry -----------------------------------------------------------------------

// Passes the bars of the CSV through and stores them in a temporary file, renamed to the entry
// after the last bar. Any error (of the CSV or of the write) drops the temporary file.
class RecordingBarSource final : public BarSource {
 public:
  // `identity` is the CSV's before its bytes were hashed: the entry is kept only when the file
  // still has it after the last bar, so that bytes changed between the hash and the parse are
  // never stored under the old bytes' name.
  // After the entry is in place, `remember` records the hash for the file's identity.
  RecordingBarSource(std::unique_ptr<BarSource> csv, std::string csv_path, FileIdentity identity,
                     fs::path entry, std::function<void()> remember)
      : csv_(std::move(csv)),
        csv_path_(std::move(csv_path)),
        identity_(identity),
        entry_(std::move(entry)),
        remember_(std::move(remember)) {
    temp_ = TempPathBeside(entry_);
    file_ = std::fopen(temp_.c_str(), "wbx");
    if (file_ == nullptr) return;
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    columns_.reserve(BarCache::kBlockBars);
    // The header is written last; its room and the reason's are reserved at the end.
  }
  ~RecordingBarSource() override { Drop(); }

  Result<bool> Next(Bar& bar) override {
    Result<bool> got = csv_->Next(bar);
    if (file_ == nullptr) return got;
    if (!got) {
      Drop();
      return got;
    }
    if (!*got) {
      Commit();
      return got;
    }
    columns_.push_back(bar);
    if (columns_.size() == BarCache::kBlockBars) WriteBlock();
    return got;
  }
  bool intraday() const override { return csv_->intraday(); }
  std::int64_t skipped_rows() const override { return csv_->skipped_rows(); }
  const std::string& first_skip_reason() const override { return csv_->first_skip_reason(); }
  ReadProgress progress() const override { return csv_->progress(); }

 private:
  void Write(const void* data, std::size_t size) {
    if (!failed_ && std::fwrite(data, 1, size, file_) != size) failed_ = true;
    written_ += size;
  }
  void Zeros(std::size_t n) {
    static constexpr std::array<char, 16> kZeros{};
    while (n > 0) {
      const std::size_t k = std::min(n, kZeros.size());
      Write(kZeros.data(), k);
      n -= k;
    }
  }

  void WriteBlock() {
    const auto n = static_cast<std::uint32_t>(columns_.size());
    if (n == 0) return;
    if (written_ == 0) Zeros(sizeof(FileHeader));  // room for the header, written last
    // The block is laid out in memory first: its checksum goes in its header.
    block_.clear();
    auto append = [this](const void* data, std::size_t size) {
      const auto* bytes = static_cast<const unsigned char*>(data);
      block_.insert(block_.end(), bytes, bytes + size);
    };
    append(columns_.times().data(), 8 * std::size_t{n});
    append(columns_.decimals().data(), n);
    block_.resize(block_.size() + Pad16(n) - n, 0);
    Layout layout;
    for (int c = 0; c < kValueColumns; ++c) {
      const auto field = static_cast<BarColumns::Field>(c);
      if (columns_.wide(field)) {
        layout[c] = {16, 0};
        append(columns_.raws(field).data(), 16 * std::size_t{n});
        continue;
      }
      const std::span<const std::int64_t> scaled = columns_.scaled(field);
      const bool fits = std::all_of(scaled.begin(), scaled.end(), [](std::int64_t v) {
        return v >= INT32_MIN && v <= INT32_MAX;
      });
      layout[c] = {fits ? 4u : 8u, columns_.exponent(field)};
      if (!fits) {
        append(scaled.data(), 8 * std::size_t{n});
        continue;
      }
      narrow_.resize(n);
      std::transform(scaled.begin(), scaled.end(), narrow_.begin(),
                     [](std::int64_t v) { return static_cast<std::int32_t>(v); });
      append(narrow_.data(), 4 * std::size_t{n});
    }
    BlockHeader block{};
    block.bars = n;
    block.layout = Pack(layout);
    block.checksum = BlockChecksum(block, sizeof(BlockHeader) + block_.size(), block_.data());
    Write(&block, sizeof block);
    Write(block_.data(), block_.size());
    bars_ += n;
    columns_.clear();
  }

  void Commit() {
    WriteBlock();
    const std::string& reason = csv_->first_skip_reason();
    if (bars_ == 0) failed_ = true;
    Write(reason.data(), reason.size());
    Zeros(Pad16(reason.size()) - reason.size());
    FileHeader header{};
    header.magic = kMagic;
    header.format = kFormatVersion;
    header.reader = kCsvReaderVersion;
    header.bars = bars_;
    header.intraday = csv_->intraday() ? 1 : 0;
    header.skipped = csv_->skipped_rows();
    header.reason_length = static_cast<std::uint32_t>(reason.size());
    header.file_size = written_;
    header.checksum = HeaderChecksum(header, reason.data());
    if (Identify(csv_path_) != identity_) failed_ = true;  // changed since it was hashed
    if (!failed_ && std::fseek(file_, 0, SEEK_SET) != 0) failed_ = true;
    if (!failed_) Write(&header, sizeof header);
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    std::error_code ec;
    if (failed_ || !closed || (fs::rename(temp_, entry_, ec), ec)) {
      fs::remove(temp_, ec);
    } else {
      remember_();
    }
  }

  void Drop() {
    if (file_ == nullptr) return;
    std::fclose(file_);
    file_ = nullptr;
    std::error_code ec;
    fs::remove(temp_, ec);
  }

  std::unique_ptr<BarSource> csv_;
  std::string csv_path_;
  std::optional<FileIdentity> identity_;
  fs::path entry_, temp_;
  std::function<void()> remember_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  std::size_t written_ = 0;
  std::uint64_t bars_ = 0;
  BarColumns columns_;                // the bars of the block being filled
  std::vector<std::int32_t> narrow_;  // a column in 4 bytes
  std::vector<unsigned char> block_;  // one block's columns, before they are written
};

}  // namespace

BarCache::BarCache(std::filesystem::path dir, std::chrono::nanoseconds settle)
    : dir_(std::move(dir)), settle_(settle) {}

std::string BarCache::EntryName(std::string_view hash_hex, const CsvOptions& options) {
  std::string name(hash_hex);
  name += options.on_bad_row == BadRowPolicy::kSkip ? "-skip" : "-stop";
  if (options.rules.allow_nonpositive_prices) name += "-nonpositive";
  // The reader's version and the format's: builds of either kind share a folder without
  // rewriting each other's entries.
  name +=
      "-r" + std::to_string(kCsvReaderVersion) + "-f" + std::to_string(kFormatVersion) + ".bars";
  return name;
}

Result<CachedSource> BarCache::Open(const std::string& path, const CsvOptions& options) const {
  const std::chrono::nanoseconds started = Now();
  const std::optional<FileIdentity> identity = Identify(path);
  const bool memos = identity && LocalFileSystem(path);
  std::string hash = memos ? RecalledHash(dir_, *identity) : std::string();
  const bool hashed = hash.empty();
  if (hashed && identity) hash = HashFile(path);
  if (hash.empty()) {
    // Unreadable: CsvBarSource says why, as without a cache.
    auto csv = CsvBarSource::Open(path, options);
    if (!csv) return tl::unexpected(csv.error());
    return CachedSource{std::move(*csv), false, {}, true};
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "cache folder " + EscapeControl(dir_.string()) + ": " +
                                                 (ec ? ec.message() : std::string("not a folder")));
  }
  // A hash the memo gave is remembered already.
  auto remember = [dir = dir_, identity = *identity, hash, started, settle = settle_,
                   wanted = memos && hashed] {
    if (wanted) Remember(dir, identity, hash, started, settle);
  };
  const fs::path entry = dir_ / EntryName(hash, options);
  if (auto mapped = MappedBarSource::Open(entry, path, options)) {
    // Hashed bytes are remembered only if the file did not change while they were read.
    if (hashed && Identify(path) == identity) remember();
    return CachedSource{std::move(mapped), true, entry, hashed};
  }
  auto csv = CsvBarSource::Open(path, options);
  if (!csv) return tl::unexpected(csv.error());
  return CachedSource{std::make_unique<RecordingBarSource>(std::move(*csv), path, *identity, entry,
                                                           std::move(remember)),
                      false, entry, hashed};
}

}  // namespace wyckoff::engine
