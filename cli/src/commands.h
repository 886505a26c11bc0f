// The CLI's subcommands. Each FAMILY_cli.cc registers its subcommands' flags with CLI11
// (AddXxxCommand); the work is plain functions over parsed options (RunXxx) in
// FAMILY_command.cc, which never see CLI11. Every command returns the process exit code:
// 0 success, 1 the run failed, 2 bad input or usage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wyckoff::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// The most runs `backtest --repeat` makes.
inline constexpr long long kMaxRepeat = 1'000'000;

struct BacktestOptions {
  std::vector<std::string> data;     // CSV files, one symbol each
  std::vector<std::string> symbols;  // names for the files; default: the file names' stems
  std::string strategy = "sma-cross";
  std::vector<std::string> params;  // name=value
  std::string quantity;             // fixed order quantity (default 100 when --risk is absent)
  std::string risk;                 // fraction of equity at risk per trade
  std::string lot_size = "1";
  std::string tick_size;  // price step of strategy prices; empty: from the data's decimals
  std::string cash = "100000";
  std::string out;                       // output folder; no files when empty
  std::string report;                    // --report FILE.html; none when empty
  std::int64_t report_bars = 1'000'000;  // --report-bars: bars kept before aggregating
  std::string on_bad_row = "stop";
  bool allow_nonpositive_prices = false;
  std::string cache;  // --cache DIR (or $WYCKOFF_CACHE): parsed CSV files kept there
  std::string intrabar = "stop-first";
  std::string slippage = "none";
  std::string commission = "none";
  std::string max_volume;  // fraction of a bar's volume an order may take
  bool allow_short = false;
  int max_positions = 0;  // symbols holding a position or a pending entry at once; 0: no limit
  bool json = false;
  std::string profile;       // gperftools CPU profile output
  std::string metrics_file;  // --metrics-file F.prom: Prometheus textfile of the run
  long long repeat = 1;  // backtest: run the engine this many times, report the last (profiling)
  // PostgreSQL (db_command.h): --data postgresql:SYMBOL:TIMEFRAME reads stored bars from --db;
  // --db also stores the run. An empty URL means the PG* environment variables.
  std::string db;
  bool db_given = false;  // --db was given: store the run
  std::string actor;      // --actor, recorded in the audit log; default: the OS user
};

int RunBacktest(const BacktestOptions& options);

struct DetectOptions {
  std::vector<std::string> data;
  std::vector<std::string> symbols;
  std::vector<std::string> params;  // detector parameters, name=value
  std::string out;                  // events.csv and ranges.csv; none when empty
  bool json = false;                // the events and ranges as JSON instead of the table
  std::string on_bad_row = "stop";
  bool allow_nonpositive_prices = false;
  std::string cache;  // --cache DIR (or $WYCKOFF_CACHE): parsed CSV files kept there
};

int RunDetect(const DetectOptions& options);

struct StudyOptions {
  std::vector<std::string> data;
  std::vector<std::string> symbols;
  std::vector<std::string> params;   // detector parameters, name=value
  std::string horizons = "5,10,20";  // bars ahead, comma-separated
  unsigned long long seed = 1;       // of the bootstrap
  long long resamples = 1000;
  std::string out;  // study.csv; none when empty
  bool json = false;
  std::string on_bad_row = "stop";
  bool allow_nonpositive_prices = false;
  std::string cache;  // --cache DIR (or $WYCKOFF_CACHE): parsed CSV files kept there
};

int RunStudy(const StudyOptions& options);

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT, [IPv6]:PORT
  std::string db;                         // store events and signals (PostgreSQL)
  bool db_given = false;
  int db_queue = 10000;             // posts whose events may wait for the database (503 beyond)
  std::string db_retry = "500ms";   // between attempts while the database is down
  std::string actor;                // who the audit log names (default: the OS user)
  std::string token_file;           // POST needs the bearer token the file holds
  std::vector<std::string> params;  // detector parameters, name=value
  int threads = 2;
  long long max_body = 8 << 20;  // bytes
  std::string timeout = "30s";   // to read a request, or idle between two
  int max_symbols = 10000;
  int max_connections = 1024;
  bool allow_nonpositive_prices = false;
};

int RunServe(const ServeOptions& options);

struct LoadOptions {
  std::string service = "127.0.0.1:8080";
  int symbols = 100;
  std::string interval = "5s";
  std::string duration = "5m";
  std::vector<std::string> data;  // bar files to replay
  int bars_per_request = 1;
  int warmup_bars = 0;
  int connections = 8;
  std::string token_file;
  long long max_requests = 1'000'000;
  bool sustained = false;
  int windows = 5;  // with --sustained
  std::string timeout = "10s";
  bool json = false;
};

int RunLoad(const LoadOptions& options);

struct GenerateOptions {
  std::string scenario = "accumulation";  // accumulation, distribution or mixed
  long long bars = 5000;
  unsigned long long seed = 1;
  std::string out;     // bars CSV (Date,Open,High,Low,Close,Volume)
  std::string labels;  // labels CSV; none when empty
};

int RunGenerate(const GenerateOptions& options);

struct ReportOptions {
  std::string run;                   // the run's report folder (--out of the run)
  std::vector<std::string> data;     // its bars, one source per symbol in the run's order
  std::vector<std::string> symbols;  // names; default: summary.json's, or the file names
  std::string out;                   // the page
  std::int64_t bars = 1'000'000;     // kept before aggregating
  std::string db;                    // --db: PostgreSQL of postgresql: data; "": PG* variables
  std::string on_bad_row = "stop";
  bool allow_nonpositive_prices = false;
  std::string cache;  // --cache DIR (or $WYCKOFF_CACHE): parsed CSV files kept there
};

int RunReportPage(const ReportOptions& options);

}  // namespace wyckoff::cli

namespace CLI {
class App;
}

namespace wyckoff::cli {

// Registrations: each adds its subcommand(s) to `app`; the callback stores the exit code.
void AddBacktestCommand(CLI::App& app, int& exit_code);
// `wyckoff db migrate|status|import|runs` (db_cli.cc).
void AddDbCommands(CLI::App& app, int& exit_code);
void AddDetectCommand(CLI::App& app, int& exit_code);
// `wyckoff study`: forward returns after each event type (study_cli.cc).
void AddStudyCommand(CLI::App& app, int& exit_code);
// `serve` and `load`.
void AddServeCommands(CLI::App& app, int& exit_code);
// `wyckoff bench compare` and `wyckoff bench budgets` (bench_cli.cc).
void AddBenchCommands(CLI::App& app, int& exit_code);
// `wyckoff optimize` and `wyckoff walk-forward` (search_cli.cc).
void AddSearchCommands(CLI::App& app, int& exit_code);
// `wyckoff generate`: synthetic bars with planted, labelled structures (generate_cli.cc).
void AddGenerateCommand(CLI::App& app, int& exit_code);
// `wyckoff params`: a strategy's parameters from its schema (params_cli.cc).
void AddParamsCommand(CLI::App& app, int& exit_code);
// `wyckoff report`: the HTML page of a finished run's folder (report_cli.cc).
void AddReportCommand(CLI::App& app, int& exit_code);

}  // namespace wyckoff::cli
