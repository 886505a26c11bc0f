-- 0003_application_role: the role the application runs as, `wyckoff_app`.
--
-- It may read and write the data tables, read schema_migrations, and only INSERT and SELECT
-- the audit log (no UPDATE, DELETE or TRUNCATE). It is NOLOGIN: grant it to the login roles
-- that run `wyckoff` (GRANT wyckoff_app TO alice) or ALTER ROLE wyckoff_app LOGIN PASSWORD ...
--
-- Roles belong to the whole server, not to one database, so the creation is idempotent: a
-- second database on the same server, or two migrations running at once, find the role there.
-- Creating it needs the CREATEROLE privilege; the grants need ownership of the tables, which
-- the migrating role has.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'wyckoff_app') THEN
    BEGIN
      CREATE ROLE wyckoff_app NOLOGIN;
    EXCEPTION
      -- Another session created it between our check and our CREATE.
      WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO wyckoff_app;

GRANT SELECT, INSERT, UPDATE, DELETE
  ON bars, backtest_runs, walk_forward_windows, pattern_events, signals, orders, fills, trades,
     equity_points
  TO wyckoff_app;

REVOKE ALL ON audit_log FROM PUBLIC;
REVOKE ALL ON audit_log FROM wyckoff_app;
GRANT SELECT, INSERT ON audit_log TO wyckoff_app;

GRANT SELECT ON schema_migrations TO wyckoff_app;

-- Identity columns draw from sequences: inserting needs USAGE on them.
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO wyckoff_app;
