// Report files and the terminal summary of a backtest.
//
//   EquityCsvWriter equity;                                  // streams equity.csv while running
//   if (auto ok = equity.Open(out_dir); !ok) return ...;
//   Result<RunResult> run = engine.Run(sources, &equity);
//   if (!run) return ...;                                    // equity.csv.tmp is removed
//   if (auto ok = WriteReport(out_dir, *run, info, equity); !ok) return ...;
//   std::cout << SummaryTable(*run, info);
//
// Files in the output folder: trades.csv (first columns exactly
// entry_time,exit_time,entry_price,exit_price,quantity,pnl, then fees, bars_held, r_multiple,
// symbol, direction, tag), fills.csv, orders.csv, events.csv (what the strategy recorded),
// equity.csv (time, cash, equity) and summary.json. Times print as YYYY-MM-DD for daily data and
// YYYY-MM-DD HH:MM:SS otherwise. Decimals print exactly (no trailing zeros); in summary.json money
// values are strings holding the exact decimal, statistics are JSON numbers. CSV files follow RFC
// 4180 (CsvWriter). Every file is written under a temporary name, every write checked through
// close, and renamed into place only when all are complete: a failed run leaves no partial and
// no temporary files (OutputFile).
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::report {

// What was asked for, echoed into summary.json and the summary table.
struct RunInfo {
  std::string command = "backtest";
  std::string strategy;
  std::vector<std::pair<std::string, std::string>> params;    // every parameter, resolved
  std::vector<std::string> data;                              // the input files
  std::vector<std::pair<std::string, std::string>> settings;  // cash, sizing, models, ...
};

// Streams equity.csv (as equity.csv.tmp until WriteReport renames it; removed when the writer
// is destroyed before that).
class EquityCsvWriter final : public engine::EquitySink {
 public:
  EquityCsvWriter() = default;
  ~EquityCsvWriter() override;
  EquityCsvWriter(const EquityCsvWriter&) = delete;
  EquityCsvWriter& operator=(const EquityCsvWriter&) = delete;

  // Creates `dir` if needed and opens the temporary file. Error names the path.
  Result<void> Open(const std::string& dir);
  void OnStart(bool intraday) override;
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override;
  // Closes and deletes the temporary file (the run failed).
  void Abandon();
  // Closes the temporary file; returns it, ready to commit, or the first write error (then
  // the file is removed).
  Result<OutputFile*> Close();

 private:
  static constexpr std::size_t kFlushAt = 1 << 16;
  std::optional<OutputFile> file_;
  std::string buffer_;
  CsvWriter csv_{buffer_};  // keeps the day of the last row: intraday rows skip the calendar
  bool intraday_ = false;
};

// Streams trades.csv, fills.csv and orders.csv (under temporary names) as the run makes them:
// give it to BacktestEngine::Run as its RecordSink, and the run keeps none of its records.
// The rows are those TradesCsv, FillsCsv and OrdersCsv write from a kept run.
class RecordCsvWriter final : public engine::RecordSink {
 public:
  // Creates `dir` if needed and opens the three temporary files. Error names the path.
  Result<void> Open(const std::string& dir);
  void OnStart(const std::vector<engine::SymbolInfo>& symbols, bool intraday) override;
  void OnFill(const engine::Fill& fill) override;
  void OnTrade(const engine::Trade& trade) override;
  void OnOrder(const engine::Order& order) override;
  // Closes the files; returns them, ready to commit, or the first write error.
  Result<std::vector<OutputFile*>> Close();

 private:
  static constexpr std::size_t kFlushAt = 1 << 16;
  struct Stream {
    Stream();
    std::optional<OutputFile> file;
    std::string buffer;
    CsvWriter csv;
  };
  void Flush(Stream& s);

  Stream trades_, fills_, orders_;
  std::vector<engine::SymbolInfo> symbols_;
  bool intraday_ = false;
};

// Writes trades.csv, fills.csv, orders.csv and summary.json into `dir` and renames them and
// the equity file into place. Error names the file that could not be written.
Result<void> WriteReport(const std::string& dir, const engine::RunResult& run, const RunInfo& info,
                         EquityCsvWriter& equity);
// The same for a run that streamed its records to `records` (when not null): its files are
// committed with the others.
Result<void> WriteReport(const std::string& dir, const engine::RunResult& run, const RunInfo& info,
                         EquityCsvWriter& equity, RecordCsvWriter* records);

// summary.json's content.
std::string SummaryJson(const engine::RunResult& run, const RunInfo& info);

// The human-readable summary for stdout.
std::string SummaryTable(const engine::RunResult& run, const RunInfo& info);

// The trade count with its split, for the summary tables: "93 (40 won, 50 lost, 3 break-even)";
// the break-even part only when there are trades with a P&L of exactly 0.
std::string TradeCountText(const engine::Metrics& m);

// events.csv: symbol,type,pattern_time,confirm_time,level,confidence, then one column per
// detail name (every name any event carries, in first-seen order; empty where absent).
std::string EventsCsv(const std::vector<engine::SymbolInfo>& symbols,
                      const std::vector<engine::RunEvent>& events, bool intraday);

// Writes each (name, text) of `files` into `dir` under a temporary name, then commits the files
// of `ready` (written and closed already) and them: all appear or, when a write fails, none,
// and no temporary file stays (errors name the file and the OS's reason).
Result<void> WriteFiles(const std::string& dir,
                        const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<OutputFile*>& ready = {});

// The header line of trades.csv (without its line end), and one trade as a row of it.
inline constexpr const char* kTradesCsvHeader =
    "entry_time,exit_time,entry_price,exit_price,quantity,pnl,fees,bars_held,r_multiple,symbol,"
    "direction,tag";
std::string TradeCsvRow(const engine::Trade& trade, const std::string& symbol, bool intraday);
// The same fields, written by `csv` (without ending the row).
void WriteTradeFields(CsvWriter& csv, const engine::Trade& trade, const std::string& symbol,
                      bool intraday);

// CSV text of the trades (header included), as written to trades.csv.
std::string TradesCsv(const engine::RunResult& run);

}  // namespace wyckoff::report
