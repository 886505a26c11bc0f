#include "wyckoff/db/run_store.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit_internal.h"
#include "connection_impl.h"
#include "copy_line.h"
#include "event_details.h"
#include "pg_time.h"
#include "run_lock.h"
#include "wyckoff/engine/run_figures.h"

namespace wyckoff::db {

using engine::RunEvent;
using engine::RunResult;
using internal::CopyRow;
using internal::DecimalDetail;
using internal::DetailsJson;

struct RunWriter::State {
  Connection& conn;
  RunSpec spec;
  RunWriterOptions options;
  std::string actor;
  std::int64_t run_id = 0;
  std::string run_id_text;
  int backend_pid = 0;
  std::unique_ptr<pqxx::work> txn;
  std::unique_ptr<pqxx::stream_to> equity;
  std::optional<Error> equity_error;
  CopyRow<4> equity_row;
  std::vector<WindowRecord> windows;
  bool completed = false;

  // Ends the equity COPY (if open) and rolls the results transaction back, swallowing what a
  // broken connection throws: nothing of the results survives.
  void Discard() noexcept {
    if (equity) {
      try {
        equity->complete();
      } catch (...) {  // NOLINT(bugprone-empty-catch): the transaction is abandoned anyway
      }
      equity.reset();
    }
    if (txn) {
      try {
        txn->abort();
      } catch (...) {  // NOLINT(bugprone-empty-catch)
      }
      txn.reset();
    }
  }
};

namespace {

// The column lists of the COPYs, in the order the rows below write them.
const std::vector<std::string> kEquityColumns = {"run_id", "time", "cash", "equity"};
const std::vector<std::string> kOrderColumns = {
    "run_id", "order_id",        "parent_order_id", "symbol",     "side",
    "type",   "quantity",        "limit_price",     "stop_price", "created_time",
    "status", "filled_quantity", "reject_reason",   "tag"};
const std::vector<std::string> kFillColumns = {"run_id",     "fill_id", "order_id", "symbol",
                                               "side",       "time",    "price",    "quantity",
                                               "commission", "tag"};
const std::vector<std::string> kTradeColumns = {
    "run_id",     "trade_id", "symbol", "side", "entry_time", "exit_time",  "entry_price",
    "exit_price", "quantity", "pnl",    "fees", "bars_held",  "r_multiple", "tag"};
const std::vector<std::string> kWindowColumns = {
    "run_id",          "window_index",        "in_sample_start",
    "in_sample_end",   "out_of_sample_start", "out_of_sample_end",
    "best_parameters", "in_sample_metrics",   "out_of_sample_metrics"};
const std::vector<std::string> kEventColumns = {
    "symbol",      "type",          "time",        "confirm_time", "phase",
    "price",       "range_low",     "range_high",  "confidence",   "details",
    "signal_side", "signal_status", "entry_price", "stop_price",   "target_price"};

// Events are staged so that signals can point at the pattern_events rows made from them: the
// stage draws each row's id from pattern_events' own identity sequence.
constexpr std::string_view kCreateEventStageSql = R"sql(
CREATE TEMPORARY TABLE run_events_stage (
  id bigint NOT NULL DEFAULT nextval(pg_get_serial_sequence('pattern_events', 'id')),
  symbol text NOT NULL, type text NOT NULL, time timestamptz NOT NULL,
  confirm_time timestamptz NOT NULL, phase text, price numeric NOT NULL, range_low numeric,
  range_high numeric, confidence numeric, details jsonb NOT NULL, signal_side text,
  signal_status text, entry_price numeric, stop_price numeric, target_price numeric
) ON COMMIT DROP)sql";

// $1 run id, $2 timeframe.
constexpr std::string_view kInsertEventsSql = R"sql(
INSERT INTO pattern_events
  (id, run_id, symbol, timeframe, type, time, confirm_time, phase, price, range_low, range_high,
   confidence, details)
OVERRIDING SYSTEM VALUE
SELECT id, $1, symbol, $2, type, time, confirm_time, phase, price, range_low, range_high,
       confidence, details
FROM run_events_stage)sql";

// $1 run id, $2 strategy.
constexpr std::string_view kInsertSignalsSql = R"sql(
INSERT INTO signals (run_id, pattern_event_id, symbol, strategy, side, status, created_at,
                     entry_price, stop_price, target_price, details)
SELECT $1, id, symbol, $2, signal_side, signal_status, confirm_time, entry_price, stop_price,
       target_price, details
FROM run_events_stage
WHERE signal_side IS NOT NULL)sql";

// $1 run id, then the headline metrics; empty text is NULL.
constexpr std::string_view kCompleteRunSql = R"sql(
UPDATE backtest_runs
SET status = 'COMPLETED', finished_at = now(), initial_cash = $2::numeric,
    final_equity = $3::numeric, net_pnl = $4::numeric, total_return = $5::numeric,
    max_drawdown = $6::numeric, sharpe = NULLIF($7, '')::numeric,
    win_rate = NULLIF($8, '')::numeric, trade_count = $9::int, metrics = $10::jsonb,
    digest = $11
WHERE id = $1 AND status = 'RUNNING'
RETURNING id)sql";

std::string_view OrderStatusText(const engine::Order& o) {
  switch (o.status) {
    case engine::OrderStatus::kWorking:
      return o.filled.IsZero() ? "OPEN" : "PARTIALLY_FILLED";
    case engine::OrderStatus::kFilled:
      return "FILLED";
    case engine::OrderStatus::kCancelled:
      return "CANCELLED";
    case engine::OrderStatus::kRejected:
      return "REJECTED";
  }
  return "REJECTED";
}

// The signals table's status for what the strategy did with a signal (see run_store.h).
std::string_view SignalStatus(std::string_view status) {
  if (status.empty()) return "EXPIRED";
  if (status.starts_with("SKIPPED")) return "CANCELLED";
  return "FILLED";  // TRADED, EXIT: ...
}

std::string OptionalText(std::optional<double> v) {
  return v && std::isfinite(*v) ? internal::DoubleText(*v) : "";
}

// The figures summary.json lists (engine::RunFigures), for the metrics column.
std::string MetricsJson(const RunResult& run) {
  nlohmann::ordered_json j;
  for (const engine::RunFigure& f : engine::RunFigures(run)) {
    j[std::string(f.name)] = engine::FigureJson<nlohmann::ordered_json>(f);
  }
  return j.dump();
}

// Every symbol index of `run` names one of run.symbols.
Result<void> ValidateSymbols(const RunResult& run) {
  const auto count = static_cast<int>(run.symbols.size());
  auto check = [&](int symbol, const char* what) -> Result<void> {
    if (symbol >= 0 && symbol < count) return {};
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + " names symbol index " +
                                                 std::to_string(symbol) + " of a run with " +
                                                 std::to_string(count) + " symbols");
  };
  for (const auto& o : run.orders) {
    if (auto ok = check(o.request.symbol, "an order"); !ok) return ok;
  }
  for (const auto& f : run.fills) {
    if (auto ok = check(f.symbol, "a fill"); !ok) return ok;
  }
  for (const auto& t : run.trades) {
    if (auto ok = check(t.symbol, "a trade"); !ok) return ok;
  }
  for (const auto& e : run.events) {
    if (auto ok = check(e.symbol, "an event"); !ok) return ok;
  }
  return {};
}

void CopyOrders(pqxx::work& txn, const RunResult& run, std::int64_t run_id) {
  CopyRow<14> line;
  pqxx::stream_to copy(txn, "orders", kOrderColumns);
  for (const engine::Order& o : run.orders) {
    const engine::OrderRequest& r = o.request;
    const bool limit =
        r.type == engine::OrderType::kLimit || r.type == engine::OrderType::kStopLimit;
    const bool stop = r.type == engine::OrderType::kStop || r.type == engine::OrderType::kStopLimit;
    line.Clear().Int(run_id).Int(o.id);
    if (o.parent != 0) {
      line.Int(o.parent);
    } else {
      line.Null();
    }
    line.Text(run.symbols[r.symbol].name)
        .Text(engine::ToString(r.side))
        .Text(engine::ToString(r.type))
        .Decimal(r.quantity)
        .Decimal(limit ? std::optional<Decimal>(r.limit_price) : std::nullopt)
        .Decimal(stop ? std::optional<Decimal>(r.stop_price) : std::nullopt)
        .Time(o.submitted_at)
        .Text(OrderStatusText(o))
        .Decimal(o.filled)
        .TextOrNull(o.reason)
        .Text(r.tag);
    copy << line.fields();
  }
  copy.complete();
}

void CopyFills(pqxx::work& txn, const RunResult& run, std::int64_t run_id) {
  CopyRow<10> line;
  pqxx::stream_to copy(txn, "fills", kFillColumns);
  std::int64_t fill_id = 0;
  for (const engine::Fill& f : run.fills) {
    line.Clear()
        .Int(run_id)
        .Int(++fill_id)
        .Int(f.order)
        .Text(run.symbols[f.symbol].name)
        .Text(engine::ToString(f.side))
        .Time(f.time)
        .Decimal(f.price)
        .Decimal(f.quantity)
        .Decimal(f.commission)
        .Text(f.tag);
    copy << line.fields();
  }
  copy.complete();
}

void CopyTrades(pqxx::work& txn, const RunResult& run, std::int64_t run_id) {
  CopyRow<14> line;
  pqxx::stream_to copy(txn, "trades", kTradeColumns);
  std::int64_t trade_id = 0;
  for (const engine::Trade& t : run.trades) {
    line.Clear()
        .Int(run_id)
        .Int(++trade_id)
        .Text(run.symbols[t.symbol].name)
        .Text(t.direction == engine::Side::kBuy ? "LONG" : "SHORT")
        .Time(t.entry_time)
        .Time(t.exit_time)
        .Decimal(t.entry_price)
        .Decimal(t.exit_price)
        .Decimal(t.quantity)
        .Decimal(t.pnl)
        .Decimal(t.fees)
        .Int(t.bars_held())
        .Decimal(t.r_multiple)
        .Text(t.tag);
    copy << line.fields();
  }
  copy.complete();
}

void CopyEvents(pqxx::work& txn, const RunResult& run, const RunSpec& spec, std::int64_t run_id) {
  if (run.events.empty()) return;
  CopyRow<15> line;
  txn.exec(std::string(kCreateEventStageSql));
  {
    pqxx::stream_to copy(txn, "run_events_stage", kEventColumns);
    for (const RunEvent& e : run.events) {
      const std::string signal = e.DetailText("signal");
      const bool is_signal = signal == "LONG" || signal == "SHORT";
      line.Clear()
          .Text(run.symbols[e.symbol].name)
          .Text(e.type)
          .Time(e.pattern_time)
          .Time(e.confirm_time)
          .TextOrNull(e.DetailText("phase_after"))
          .Double(e.level)
          .Decimal(DecimalDetail(e, "support"))
          .Decimal(DecimalDetail(e, "resistance"))
          .Double(e.confidence)
          .Text(DetailsJson(e));
      if (is_signal) {
        line.Text(signal == "LONG" ? "BUY" : "SELL").Text(SignalStatus(e.DetailText("status")));
      } else {
        line.Null().Null();
      }
      line.Decimal(DecimalDetail(e, "entry"))
          .Decimal(DecimalDetail(e, "stop"))
          .Decimal(DecimalDetail(e, "target"));
      copy << line.fields();
    }
    copy.complete();
  }
  txn.exec_params(std::string(kInsertEventsSql), run_id, spec.timeframe);
  txn.exec_params(std::string(kInsertSignalsSql), run_id, spec.strategy);
}

void CopyWindows(pqxx::work& txn, const std::vector<WindowRecord>& windows, std::int64_t run_id) {
  if (windows.empty()) return;
  CopyRow<9> line;
  pqxx::stream_to copy(txn, "walk_forward_windows", kWindowColumns);
  for (const WindowRecord& w : windows) {
    line.Clear()
        .Int(run_id)
        .Int(w.index)
        .Time(w.in_sample_start)
        .Time(w.in_sample_end)
        .Time(w.out_of_sample_start)
        .Time(w.out_of_sample_end)
        .Text(w.best_parameters_json)
        .Text(w.in_sample_metrics_json)
        .Text(w.out_of_sample_metrics_json);
    copy << line.fields();
  }
  copy.complete();
}

// Marks the run COMPLETED with its metrics and writes `run.completed`, in `txn`.
Result<void> MarkCompleted(pqxx::work& txn, const RunResult& run, std::int64_t run_id,
                           const std::string& actor, std::size_t windows) {
  const engine::Metrics& m = run.metrics;
  const pqxx::result updated = txn.exec_params(
      std::string(kCompleteRunSql), run_id, m.initial_equity.ToString(), run.final_value.ToString(),
      m.net_profit.ToString(), internal::DoubleText(m.total_return),
      internal::DoubleText(m.max_drawdown), OptionalText(m.sharpe), OptionalText(m.win_rate),
      m.trade_count, MetricsJson(run), run.digest);
  if (updated.empty()) {
    return Fail(ErrorCode::kDatabase, "run " + std::to_string(run_id) +
                                          " is no longer RUNNING; its results were not "
                                          "stored");
  }
  nlohmann::json payload = {{"digest", run.digest},
                            {"trades", run.trades.size()},
                            {"fills", run.fills.size()},
                            {"orders", run.orders.size()},
                            {"events", run.events.size()},
                            {"equity_points", run.steps},
                            {"final_value", run.final_value.ToString()}};
  if (windows > 0) payload["windows"] = windows;
  internal::AppendAuditIn(txn, AuditRecord{actor, std::string(kActionRunCompleted), "run",
                                           std::to_string(run_id), payload.dump()});
  return {};
}

// Releases the run's advisory lock on `conn`'s session, if it is still that session.
void Unlock(Connection& conn, std::int64_t run_id) noexcept {
  try {
    pqxx::nontransaction txn(internal::Pqxx(conn));
    txn.exec_params(std::string(internal::kUnlockRunSql), run_id);
  } catch (...) {  // NOLINT(bugprone-empty-catch): the lock goes with the session anyway
  }
}

}  // namespace

RunWriter::RunWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

RunWriter::~RunWriter() { state_->Discard(); }

std::int64_t RunWriter::run_id() const { return state_->run_id; }

int RunWriter::backend_pid() const { return state_->backend_pid; }

Result<std::unique_ptr<RunWriter>> RunWriter::Start(Connection& conn, const RunSpec& spec,
                                                    RunWriterOptions options) {
  auto id = CreateRun(conn, spec);
  if (!id) return tl::unexpected(id.error());
  const std::string actor =
      internal::ActorOrOsUser(options.actor.empty() ? spec.actor : options.actor);
  auto state = std::unique_ptr<State>(new State{conn, spec, std::move(options), actor, *id});
  state->run_id_text = std::to_string(*id);
  auto opened =
      internal::Guarded("opening the results of run " + state->run_id_text, [&]() -> Result<void> {
        pqxx::connection& c = internal::Pqxx(conn);
        state->txn = std::make_unique<pqxx::work>(c);
        state->backend_pid = c.backendpid();
        return {};
      });
  if (!opened) return tl::unexpected(opened.error());
  return std::unique_ptr<RunWriter>(new RunWriter(std::move(state)));
}

void RunWriter::OnStart(bool intraday) {
  (void)intraday;
  State& s = *state_;
  if (!s.txn || s.equity || s.equity_error) return;
  auto opened =
      internal::Guarded("streaming the equity of run " + s.run_id_text, [&]() -> Result<void> {
        s.equity = std::make_unique<pqxx::stream_to>(*s.txn, "equity_points", kEquityColumns);
        return {};
      });
  if (!opened) s.equity_error = opened.error();
}

void RunWriter::OnEquity(Timestamp time, Decimal cash, Decimal equity) {
  State& s = *state_;
  if (s.equity_error) return;
  if (!s.equity) OnStart(false);
  if (!s.equity) return;
  try {
    s.equity_row.Clear().Text(s.run_id_text).Time(time).Decimal(cash).Decimal(equity);
    *s.equity << s.equity_row.fields();
  } catch (const std::exception& e) {
    s.equity_error =
        internal::TranslateException("streaming the equity of run " + s.run_id_text, e);
  }
}

Result<void> RunWriter::Complete(const RunResult& run) {
  State& s = *state_;
  if (s.completed) return {};
  if (!s.txn) {
    return wyckoff::Fail(ErrorCode::kDatabase,
                         "the results of run " + s.run_id_text + " were already abandoned");
  }
  if (auto ok = ValidateSymbols(run); !ok) {
    s.Discard();
    return ok;
  }
  auto step = [&](std::string_view name) {
    if (s.options.before_step) s.options.before_step(name);
  };
  auto written =
      internal::Guarded("storing the results of run " + s.run_id_text, [&]() -> Result<void> {
        step("equity");
        if (s.equity_error) return tl::unexpected(*s.equity_error);
        if (s.equity) {
          s.equity->complete();
          s.equity.reset();
        }
        step("orders");
        CopyOrders(*s.txn, run, s.run_id);
        step("fills");
        CopyFills(*s.txn, run, s.run_id);
        step("trades");
        CopyTrades(*s.txn, run, s.run_id);
        step("events");
        CopyEvents(*s.txn, run, s.spec, s.run_id);
        if (!s.windows.empty()) {
          step("windows");
          CopyWindows(*s.txn, s.windows, s.run_id);
        }
        step("commit");
        auto marked = MarkCompleted(*s.txn, run, s.run_id, s.actor, s.windows.size());
        if (!marked) return marked;
        s.txn->commit();
        return {};
      });
  if (!written) {
    s.Discard();
    return written;
  }
  s.txn.reset();
  s.completed = true;
  Unlock(s.conn, s.run_id);
  return {};
}

void RunWriter::AddWindows(std::vector<WindowRecord> windows) {
  state_->windows = std::move(windows);
}

Result<void> RunWriter::Fail(std::string_view reason) {
  State& s = *state_;
  if (s.completed) return {};
  s.Discard();
  auto failed = FailRun(s.conn, s.run_id, reason, s.actor);
  if (failed) {
    Unlock(s.conn, s.run_id);
    return failed;
  }
  if (failed.error().code != ErrorCode::kDatabase || !s.options.reconnect) return failed;
  // The run's session is gone (or refuses): mark it from a new one.
  auto fresh = Connect(s.options.reconnect_url, s.options.reconnect_options);
  if (!fresh) {
    return wyckoff::Fail(ErrorCode::kDatabase,
                         "run " + s.run_id_text +
                             " could not be marked FAILED and stays RUNNING until "
                             "the next `wyckoff db runs`: " +
                             fresh.error().message);
  }
  return FailRun(*fresh, s.run_id, reason, s.actor);
}

Result<std::vector<std::int64_t>> FailAbandonedRuns(Connection& conn, std::string_view actor) {
  auto ids =
      internal::Guarded("looking for abandoned runs", [&]() -> Result<std::vector<std::int64_t>> {
        pqxx::read_transaction txn(internal::Pqxx(conn));
        std::vector<std::int64_t> found;
        for (const auto& row : txn.exec(std::string(internal::kAbandonedRunsSql))) {
          found.push_back(row[0].as<std::int64_t>());
        }
        return found;
      });
  if (!ids) return ids;
  std::vector<std::int64_t> marked;
  for (std::int64_t id : *ids) {
    auto failed = FailRun(conn, id, kAbandonedRunReason, actor);
    if (failed) {
      marked.push_back(id);
    } else if (failed.error().code == ErrorCode::kDatabase) {
      return tl::unexpected(failed.error());
    }  // else another session finished or failed it meanwhile
  }
  return marked;
}

}  // namespace wyckoff::db
