// `wyckoff db migrate|status|import|runs|show`: their flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"
#include "db_command.h"
#include "wyckoff/db/migrations.h"

namespace wyckoff::cli {
namespace {

void AddDbFlags(CLI::App* cmd, DbOptions& o, bool writes_audit) {
  cmd->add_option("--db", o.url,
                  "PostgreSQL URL (postgresql://USER@HOST/DB); default: $WYCKOFF_DB, else the "
                  "PG* environment variables");
  if (writes_audit) {
    cmd->add_option("--actor", o.actor, "Who to record in the audit log (default: the OS user)");
  }
}

constexpr const char* kMigrationsHelp =
    "Folder of NNNN_name.sql migrations (default: $WYCKOFF_MIGRATIONS_DIR, else an installed "
    "program's PREFIX/share/wyckoff/migrations, else the source tree's)";

}  // namespace

void AddDbCommands(CLI::App& app, int& exit_code) {
  CLI::App* db = app.add_subcommand("db", "PostgreSQL: schema migrations, bars and stored runs");
  db->require_subcommand(1);

  static DbMigrateOptions migrate;
  CLI::App* m = db->add_subcommand("migrate", "Apply the pending schema migrations");
  AddDbFlags(m, migrate.db, /*writes_audit=*/true);
  m->add_option("--migrations", migrate.migrations, kMigrationsHelp)
      ->default_str(db::DefaultMigrationsDir().string());
  m->callback([&exit_code] { exit_code = RunDbMigrate(migrate); });

  static DbMigrateOptions status;
  CLI::App* s = db->add_subcommand("status", "List the applied and pending migrations");
  AddDbFlags(s, status.db, /*writes_audit=*/false);
  s->add_option("--migrations", status.migrations, kMigrationsHelp)
      ->default_str(db::DefaultMigrationsDir().string());
  s->callback([&exit_code] { exit_code = RunDbStatus(status); });

  static DbImportOptions import;
  CLI::App* i = db->add_subcommand("import", "Store the bars of a CSV file (all or nothing)");
  AddDbFlags(i, import.db, /*writes_audit=*/true);
  i->add_option("--data", import.data, "CSV file of OHLCV bars")->required();
  i->add_option("--symbol", import.symbol, "Symbol of the bars (default: the file name)");
  i->add_option("--timeframe", import.timeframe, "Timeframe of the bars: 1d, 5m, ...")->required();
  i->add_flag("--replace", import.replace, "Overwrite bars that are already stored");
  AddBarInputFlags(i, import.on_bad_row, import.allow_nonpositive_prices);
  i->callback([&exit_code] { exit_code = RunDbImport(import); });

  static DbRunsOptions runs;
  CLI::App* r = db->add_subcommand(
      "runs", "List recent runs with status and headline metrics (abandoned runs become FAILED)");
  AddDbFlags(r, runs.db, /*writes_audit=*/true);
  r->add_option("--limit", runs.limit, "How many runs, newest first")->capture_default_str();
  r->callback([&exit_code] { exit_code = RunDbRuns(runs); });

  static DbShowOptions show;
  CLI::App* sh = db->add_subcommand("show", "Print a stored run's summary and its trades");
  sh->add_option("RUN", show.run, "The run's id (wyckoff db runs lists them)")->required();
  AddDbFlags(sh, show.db, /*writes_audit=*/false);
  sh->callback([&exit_code] { exit_code = RunDbShow(show); });
}

}  // namespace wyckoff::cli
