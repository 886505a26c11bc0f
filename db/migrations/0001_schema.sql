-- 0001_schema: every table of the store and the indexes that serve its queries.
--
-- Conventions:
-- - Money, prices, quantities, fees, P&L and ratios are NUMERIC (exact), never floating point.
--   Unconstrained NUMERIC keeps exactly the digits the engine's Decimal wrote (12 fractional
--   digits at most), so values read back equal.
-- - Times are timestamptz (UTC instants, microsecond resolution).
-- - Each index is named after the query it serves; the integration tests assert these names
--   in EXPLAIN plans, so renaming one is a schema change that the tests will catch.
-- - schema_migrations is created by the migration runner itself (it must exist before this
--   file runs); it is listed here for completeness only.

-- Bars: one OHLCV interval of one symbol and timeframe ('1d', '5m', ...).
CREATE TABLE bars (
  symbol    text        NOT NULL CHECK (symbol <> ''),
  timeframe text        NOT NULL CHECK (timeframe <> ''),
  time      timestamptz NOT NULL,
  open      numeric     NOT NULL,
  high      numeric     NOT NULL,
  low       numeric     NOT NULL,
  close     numeric     NOT NULL,
  volume    numeric     NOT NULL CHECK (volume >= 0),
  CONSTRAINT bars_symbol_timeframe_time_key PRIMARY KEY (symbol, timeframe, time),
  CONSTRAINT bars_range_check
    CHECK (low <= open AND open <= high AND low <= close AND close <= high)
);

-- Runs: one backtest or walk-forward run. Results rows reference it and are written in the
-- same transaction that marks it COMPLETED, so a run's results appear all at once or not at all.
CREATE TABLE backtest_runs (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind           text        NOT NULL DEFAULT 'backtest'
                             CHECK (kind IN ('backtest', 'walk-forward')),
  status         text        NOT NULL DEFAULT 'RUNNING'
                             CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
  strategy       text        NOT NULL,
  symbols        text[]      NOT NULL,
  timeframe      text        NOT NULL,
  data_source    text        NOT NULL DEFAULT '',
  parameters     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  actor          text        NOT NULL,
  started_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  -- Headline metrics, set when the run completes (NULL while RUNNING or after FAILED).
  initial_cash   numeric,
  final_equity   numeric,
  net_pnl        numeric,
  total_return   numeric,
  max_drawdown   numeric,
  sharpe         numeric,
  win_rate       numeric,
  trade_count    integer,
  metrics        jsonb,      -- every metric of the run, for reports
  digest         text,       -- digest of trades and equity: same inputs, same digest
  error_message  text,       -- why the run FAILED
  CONSTRAINT backtest_runs_finished_check
    CHECK ((status = 'RUNNING') = (finished_at IS NULL))
);
-- `db runs`: the most recent runs first.
CREATE INDEX backtest_runs_started_idx ON backtest_runs (started_at DESC, id DESC);
-- Runs still RUNNING (a small set: crashed or in-flight runs), oldest first.
CREATE INDEX backtest_runs_running_idx ON backtest_runs (started_at) WHERE status = 'RUNNING';

-- Walk-forward: each window optimises on the in-sample span and trades the next one.
CREATE TABLE walk_forward_windows (
  run_id                bigint      NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
  window_index          integer     NOT NULL CHECK (window_index >= 0),
  in_sample_start       timestamptz NOT NULL,
  in_sample_end         timestamptz NOT NULL,
  out_of_sample_start   timestamptz NOT NULL,
  out_of_sample_end     timestamptz NOT NULL,
  best_parameters       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  in_sample_metrics     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  out_of_sample_metrics jsonb       NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (run_id, window_index),
  CHECK (in_sample_start < in_sample_end AND in_sample_end <= out_of_sample_start
         AND out_of_sample_start < out_of_sample_end)
);

-- Pattern events from the detectors (Spring, SOS, LPS, UTAD, ...). run_id is NULL for events
-- of `wyckoff detect`, which lists patterns without a backtest.
CREATE TABLE pattern_events (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id      bigint      REFERENCES backtest_runs (id) ON DELETE CASCADE,
  symbol      text        NOT NULL,
  timeframe   text        NOT NULL,
  type        text        NOT NULL,
  time        timestamptz NOT NULL,
  phase       text,
  price       numeric     NOT NULL,
  range_low   numeric,
  range_high  numeric,
  confidence  numeric,
  details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);
-- Patterns of one symbol and type, newest first.
CREATE INDEX pattern_events_symbol_type_time_idx ON pattern_events (symbol, type, time DESC);
CREATE INDEX pattern_events_run_idx ON pattern_events (run_id) WHERE run_id IS NOT NULL;

-- Trade signals derived from pattern events; ACTIVE until filled, cancelled or expired.
CREATE TABLE signals (
  id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id            bigint      REFERENCES backtest_runs (id) ON DELETE CASCADE,
  pattern_event_id  bigint      REFERENCES pattern_events (id) ON DELETE SET NULL,
  symbol            text        NOT NULL,
  strategy          text        NOT NULL,
  side              text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
  status            text        NOT NULL DEFAULT 'ACTIVE'
                                CHECK (status IN ('ACTIVE', 'FILLED', 'CANCELLED', 'EXPIRED')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  entry_price       numeric,
  stop_price        numeric,
  target_price      numeric,
  quantity          numeric     CHECK (quantity > 0),
  details           jsonb       NOT NULL DEFAULT '{}'::jsonb
);
-- Active signals of a symbol, newest first.
CREATE INDEX signals_symbol_status_created_idx ON signals (symbol, status, created_at DESC);
CREATE INDEX signals_run_idx ON signals (run_id) WHERE run_id IS NOT NULL;

-- Orders of a run; order_id is the engine's id, unique within the run. Bracket exits point to
-- their entry through parent_order_id.
CREATE TABLE orders (
  run_id           bigint      NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
  order_id         bigint      NOT NULL,
  parent_order_id  bigint,
  symbol           text        NOT NULL,
  side             text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type             text        NOT NULL CHECK (type IN ('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT')),
  quantity         numeric     NOT NULL CHECK (quantity > 0),
  limit_price      numeric,
  stop_price       numeric,
  created_time     timestamptz NOT NULL,
  status           text        NOT NULL
                               CHECK (status IN ('OPEN', 'PARTIALLY_FILLED', 'FILLED',
                                                 'CANCELLED', 'REJECTED', 'EXPIRED')),
  filled_quantity  numeric     NOT NULL DEFAULT 0,
  reject_reason    text,
  PRIMARY KEY (run_id, order_id),
  FOREIGN KEY (run_id, parent_order_id) REFERENCES orders (run_id, order_id)
);

-- Fills: one execution of (part of) an order.
CREATE TABLE fills (
  run_id      bigint      NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
  fill_id     bigint      NOT NULL,
  order_id    bigint      NOT NULL,
  symbol      text        NOT NULL,
  side        text        NOT NULL CHECK (side IN ('BUY', 'SELL')),
  time        timestamptz NOT NULL,
  price       numeric     NOT NULL CHECK (price > 0),
  quantity    numeric     NOT NULL CHECK (quantity > 0),
  commission  numeric     NOT NULL DEFAULT 0,
  slippage    numeric     NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, fill_id),
  FOREIGN KEY (run_id, order_id) REFERENCES orders (run_id, order_id)
);

-- Trades: closed round trips.
CREATE TABLE trades (
  run_id       bigint      NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
  trade_id     bigint      NOT NULL,
  symbol       text        NOT NULL,
  side         text        NOT NULL DEFAULT 'LONG' CHECK (side IN ('LONG', 'SHORT')),
  entry_time   timestamptz NOT NULL,
  exit_time    timestamptz NOT NULL,
  entry_price  numeric     NOT NULL,
  exit_price   numeric     NOT NULL,
  quantity     numeric     NOT NULL CHECK (quantity > 0),
  pnl          numeric     NOT NULL,  -- net of fees
  fees         numeric     NOT NULL DEFAULT 0,
  bars_held    integer     NOT NULL CHECK (bars_held >= 0),
  r_multiple   numeric,               -- NULL when the trade had no defined risk
  exit_reason  text,
  PRIMARY KEY (run_id, trade_id),
  CHECK (entry_time <= exit_time)
);

-- Equity curve: one point per bar of the run.
CREATE TABLE equity_points (
  run_id  bigint      NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
  time    timestamptz NOT NULL,
  cash    numeric     NOT NULL,
  equity  numeric     NOT NULL,
  PRIMARY KEY (run_id, time)
);

-- Audit log: who did what to which entity, when, with a JSON payload. Append-only (see
-- 0002_audit_log_append_only.sql and 0003_application_role.sql).
CREATE TABLE audit_log (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time         timestamptz NOT NULL DEFAULT now(),
  actor        text        NOT NULL CHECK (actor <> ''),
  action       text        NOT NULL CHECK (action <> ''),
  entity_type  text        NOT NULL,
  entity_id    text        NOT NULL,
  payload      jsonb       NOT NULL DEFAULT '{}'::jsonb
);
-- Entries of an actor and action, newest first.
CREATE INDEX audit_log_actor_action_time_idx ON audit_log (actor, action, time DESC);
