-- 0004_run_results: what the run store (db/src/run_store.cc) needs beyond 0001 to keep a
-- backtest's results as the report files show them.
--
-- - runs keep the run's settings (cash, sizing, slippage and commission models, ...) beside the
--   strategy's parameters, so that a stored run can be repeated;
-- - orders, fills and trades keep the tag of the order that made them (`SPRING`, ...);
-- - pattern events keep the bar at which they were confirmed (the decision bar) beside the bar
--   that formed them;
-- - the broker records an order it rejects as given, so a rejected order may have a quantity
--   that is not positive (`quantity 0 is not positive` is the rejection);
-- - a fill's slippage is part of its price and the engine does not record it apart, so the
--   column may be NULL (unknown) instead of claiming 0.

ALTER TABLE backtest_runs ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE orders ADD COLUMN tag text NOT NULL DEFAULT '';
ALTER TABLE fills ADD COLUMN tag text NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN tag text NOT NULL DEFAULT '';

ALTER TABLE pattern_events ADD COLUMN confirm_time timestamptz;

ALTER TABLE orders DROP CONSTRAINT orders_quantity_check;
ALTER TABLE orders ADD CONSTRAINT orders_quantity_check CHECK (quantity > 0 OR status = 'REJECTED');

ALTER TABLE fills ALTER COLUMN slippage DROP NOT NULL;
ALTER TABLE fills ALTER COLUMN slippage DROP DEFAULT;
