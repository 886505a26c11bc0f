#include "sources.h"

#include <iostream>

#include "commands.h"
#include "db_command.h"

namespace wyckoff::cli {

engine::CsvOptions CsvOptionsOf(const std::string& on_bad_row, bool allow_nonpositive_prices) {
  engine::CsvOptions csv;
  csv.on_bad_row = on_bad_row == "skip" ? engine::BadRowPolicy::kSkip : engine::BadRowPolicy::kStop;
  csv.rules.allow_nonpositive_prices = allow_nonpositive_prices;
  return csv;
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

Result<OpenedSources> OpenSources(const std::vector<std::string>& data,
                                  const std::vector<std::string>& symbols,
                                  const engine::CsvOptions& csv, BacktestDatabase* database) {
  if (!symbols.empty() && symbols.size() != data.size()) {
    return Fail(ErrorCode::kInvalidArgument, "--symbol was given " +
                                                 std::to_string(symbols.size()) + " times for " +
                                                 std::to_string(data.size()) + " --data files");
  }
  OpenedSources out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::string name = symbols.empty() ? BacktestDatabase::DefaultSymbol(data[i]) : symbols[i];
    if (auto ok = CheckSymbolName(name); !ok) return tl::unexpected(ok.error());
    for (const auto& s : out.symbols) {
      if (s.name == name) {
        return Fail(ErrorCode::kInvalidArgument,
                    "symbol " + Quoted(name) + " is given twice; name the files with --symbol");
      }
    }
    Result<std::unique_ptr<engine::BarSource>> source =
        database != nullptr ? database->OpenSource(data[i], csv)
                            : engine::CsvBarSource::Open(data[i], csv);
    if (!source) return tl::unexpected(source.error());
    out.symbols.push_back({name, (*source)->intraday()});
    out.sources.push_back(std::move(*source));
  }
  return out;
}

int ReportError(const Error& error) {
  std::cerr << "error: " << EscapeControl(error.message) << "\n";
  return error.code == ErrorCode::kIo || error.code == ErrorCode::kDatabase ? kExitFailure
                                                                            : kExitBadInput;
}

}  // namespace wyckoff::cli
