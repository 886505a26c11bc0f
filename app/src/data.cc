#include "wyckoff/app/data.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "wyckoff/db/bars.h"
#include "wyckoff/engine/bar_cache.h"
#include "wyckoff/engine/prefetch_source.h"

namespace wyckoff::app {

Result<std::vector<std::string>> ExpandDataArgs(const std::vector<std::string>& data) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& text : data) {
    std::error_code ec;
    if (text.rfind("postgresql:", 0) != 0 && fs::is_directory(text, ec)) {
      std::vector<std::string> files;
      for (const auto& entry : fs::directory_iterator(text, ec)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (ext == ".csv" && entry.is_regular_file(ec)) files.push_back(entry.path().string());
      }
      if (files.empty()) {
        return Fail(ErrorCode::kNotFound, "folder " + Quoted(text) + " holds no .csv file");
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else if (text.rfind("postgresql:", 0) != 0 &&
               text.find_first_of("*?[") != std::string::npos && !fs::exists(text, ec)) {
      glob_t found{};
      const int status = glob(text.c_str(), 0, nullptr, &found);
      std::vector<std::string> files;
      for (std::size_t i = 0; status == 0 && i < found.gl_pathc; ++i) {
        files.emplace_back(found.gl_pathv[i]);
      }
      globfree(&found);
      if (files.empty()) return Fail(ErrorCode::kNotFound, Quoted(text) + " matches no file");
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(text);
    }
  }
  return out;
}

Result<DataRef> ParseDataRef(std::string_view text) {
  auto stored = db::ParseStoredBars(text);
  if (!stored) return tl::unexpected(stored.error());
  if (*stored) {
    return DataRef{StoredBarsRef{(*stored)->symbol, (*stored)->timeframe}, std::string(text)};
  }
  return DataRef{CsvFile{std::string(text)}, std::string(text)};
}

std::string DefaultSymbol(const DataRef& ref) {
  if (const auto* stored = std::get_if<StoredBarsRef>(&ref.where)) return stored->symbol;
  return std::filesystem::path(std::get<CsvFile>(ref.where).path).stem().string();
}

Result<void> CheckSymbolName(const std::string& name) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "a symbol name must not be empty");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return Fail(ErrorCode::kInvalidArgument,
                  "symbol " + Quoted(name) + " holds a control character");
    }
  }
  return {};
}

namespace {

// Passes the bars through and reports the source's progress every kProgressEvery bars.
class ProgressReportingSource final : public engine::BarSource {
 public:
  ProgressReportingSource(std::unique_ptr<engine::BarSource> source, std::string name,
                          std::function<void(const std::string&, engine::ReadProgress)> report)
      : source_(std::move(source)), name_(std::move(name)), report_(std::move(report)) {}

  Result<bool> Next(Bar& bar) override {
    Result<bool> got = source_->Next(bar);
    if (got && *got && ++count_ % kProgressEvery != 0) return got;
    if (!ended_) report_(name_, source_->progress());
    ended_ = !got || !*got;
    return got;
  }
  bool intraday() const override { return source_->intraday(); }
  std::int64_t skipped_rows() const override { return source_->skipped_rows(); }
  const std::string& first_skip_reason() const override { return source_->first_skip_reason(); }
  engine::ReadProgress progress() const override { return source_->progress(); }

 private:
  std::unique_ptr<engine::BarSource> source_;
  std::string name_;
  std::function<void(const std::string&, engine::ReadProgress)> report_;
  std::uint64_t count_ = 0;
  bool ended_ = false;
};

Result<std::unique_ptr<engine::BarSource>> Open(const DataRef& ref, const DataRequest& request,
                                                Database& database, std::string& timeframe,
                                                bool& cached) {
  if (const auto* stored = std::get_if<StoredBarsRef>(&ref.where)) {
    auto session = database.Session();
    if (!session) return tl::unexpected(session.error());
    timeframe = stored->timeframe;
    return (*session)->OpenStoredBars(db::StoredBars{stored->symbol, stored->timeframe});
  }
  const std::string& path = std::get<CsvFile>(ref.where).path;
  if (!request.cache.empty()) {
    auto opened = engine::BarCache(request.cache).Open(path, request.csv);
    if (!opened) return tl::unexpected(opened.error());
    timeframe = opened->source->intraday() ? "intraday" : "1d";
    cached = opened->hit;
    return std::move(opened->source);
  }
  auto opened = engine::CsvBarSource::Open(path, request.csv);
  if (!opened) return tl::unexpected(opened.error());
  timeframe = (*opened)->intraday() ? "intraday" : "1d";
  return std::unique_ptr<engine::BarSource>(std::move(*opened));
}

}  // namespace

Result<OpenedData> OpenData(const DataRequest& request, Database& database) {
  if (!request.symbols.empty() && request.symbols.size() != request.data.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::to_string(request.symbols.size()) + " symbol names for " +
                    std::to_string(request.data.size()) + " sources of bars");
  }
  OpenedData out;
  for (std::size_t i = 0; i < request.data.size(); ++i) {
    std::string name =
        request.symbols.empty() ? DefaultSymbol(request.data[i]) : request.symbols[i];
    if (auto ok = CheckSymbolName(name); !ok) return tl::unexpected(ok.error());
    for (const auto& s : out.symbols) {
      if (s.name == name) {
        return Fail(ErrorCode::kInvalidArgument,
                    "symbol " + Quoted(name) + " is given twice; name the sources apart");
      }
    }
    std::string timeframe;
    bool cached = false;  // mapped from the cache: decoding needs no thread of its own
    auto source = Open(request.data[i], request, database, timeframe, cached);
    if (!source) return tl::unexpected(source.error());
    out.symbols.push_back({name, (*source)->intraday()});
    const bool one_file =
        request.data.size() == 1 && std::holds_alternative<CsvFile>(request.data[i].where);
    if (request.prefetch && one_file && !cached && std::thread::hardware_concurrency() > 1) {
      *source = std::make_unique<engine::PrefetchingBarSource>(std::move(*source));
    }
    if (request.progress) {
      *source = std::make_unique<ProgressReportingSource>(std::move(*source), request.data[i].text,
                                                          request.progress);
    }
    out.sources.push_back(std::move(*source));
    out.timeframes.push_back(std::move(timeframe));
  }
  return out;
}

Skipped SkippedRows(const std::vector<std::unique_ptr<engine::BarSource>>& sources) {
  Skipped skipped;
  for (const auto& s : sources) {
    skipped.rows += s->skipped_rows();
    if (skipped.first.empty()) skipped.first = s->first_skip_reason();
  }
  return skipped;
}

Result<engine::MarketData> LoadMarketData(OpenedData& opened, Skipped& skipped) {
  engine::MarketData data;
  for (std::size_t s = 0; s < opened.sources.size(); ++s) {
    engine::BarSource& source = *opened.sources[s];
    auto bars = engine::ReadColumns(source);
    if (!bars) return tl::unexpected(bars.error());
    engine::SymbolInfo symbol = opened.symbols[s];
    symbol.intraday = source.intraday();
    data.symbols.push_back(symbol);
    data.bars.push_back(std::move(*bars));
  }
  skipped = SkippedRows(opened.sources);
  return data;
}

}  // namespace wyckoff::app
