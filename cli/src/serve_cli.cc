// `wyckoff serve` and `wyckoff load`: their flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"

namespace wyckoff::cli {

void AddServeCommands(CLI::App& app, int& exit_code) {
  static ServeOptions s;
  CLI::App* serve = app.add_subcommand(
      "serve", "Live signal service: detect patterns in bars posted over HTTP, with metrics");
  serve->add_option("--listen", s.listen, "HOST:PORT to listen on (loopback unless told)")
      ->capture_default_str();
  CLI::Option* db = serve->add_option(
      "--db", s.db,
      "Store events and signals in PostgreSQL at this URL (\"\": $WYCKOFF_DB, else the PG* "
      "variables)");
  serve
      ->add_option("--db-queue", s.db_queue,
                   "Posts whose events may wait for the database at once (503 beyond)")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  serve->add_option("--db-retry", s.db_retry, "Time between attempts while the database is down")
      ->capture_default_str();
  serve->add_option("--actor", s.actor, "Who the audit log names (default: the OS user)");
  serve->add_option("--token-file", s.token_file,
                    "File holding the bearer token every POST must carry");
  serve->add_option("--param", s.params, "Detector parameter name=value (repeatable)");
  serve->add_option("--threads", s.threads, "Threads serving requests")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option("--max-body", s.max_body, "Largest request body in bytes (413 beyond)")
      ->check(CLI::Range(1LL, 1LL << 30))
      ->capture_default_str();
  serve
      ->add_option("--timeout", s.timeout,
                   "Time a client has to send a request, or may stay idle (500ms, 30s, 1m)")
      ->capture_default_str();
  serve->add_option("--max-symbols", s.max_symbols, "Most symbols held (429 beyond)")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  serve->add_option("--max-connections", s.max_connections, "Most connections open at once")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  serve->add_flag("--allow-nonpositive-prices", s.allow_nonpositive_prices,
                  "Accept prices at or below zero (some futures and spreads trade there)");
  serve->callback([&exit_code, db] {
    s.db_given = db->count() > 0;
    exit_code = RunServe(s);
  });

  static LoadOptions l;
  CLI::App* load = app.add_subcommand(
      "load", "Load generator for wyckoff serve: replay bars for many symbols, report latency");
  load->add_option("--service", l.service, "HOST:PORT of the service (a loopback address)")
      ->capture_default_str();
  load->add_option("--symbols", l.symbols, "Symbols posting at once")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  load->add_option("--interval", l.interval, "Time between two posts of a symbol")
      ->capture_default_str();
  load->add_option("--duration", l.duration, "How long to run (it stops by itself)")
      ->capture_default_str();
  load->add_option("--data-from", l.data, "CSV bar files to replay (symbol i replays file i mod n)")
      ->required();
  load->add_option("--bars-per-request", l.bars_per_request, "Bars in each post")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  load->add_option("--warmup-bars", l.warmup_bars,
                   "Bars in each symbol's first post (0: as the rest)")
      ->check(CLI::Range(0, 10'000'000))
      ->capture_default_str();
  load->add_option("--connections", l.connections, "Requests in flight at most")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  load->add_option("--token-file", l.token_file, "File holding the service's bearer token");
  load->add_option("--max-requests", l.max_requests, "Stop after this many requests")
      ->check(CLI::Range(1LL, 100'000'000LL))
      ->capture_default_str();
  load->add_flag("--sustained", l.sustained,
                 "Cut the run in --windows windows; check that memory, threads and latency stay "
                 "level (exit 1 when not)");
  load->add_option("--windows", l.windows, "Windows of a sustained run")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  load->add_option("--timeout", l.timeout, "Time to wait for one answer")->capture_default_str();
  load->add_flag("--json", l.json, "The results as JSON on stdout");
  // A flag given twice takes its last value: scripts/load-test.sh passes defaults first.
  for (CLI::Option* option : load->get_options()) {
    if (option->get_name() != "--data-from") {
      option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
  }
  load->callback([&exit_code] { exit_code = RunLoad(l); });
}

}  // namespace wyckoff::cli
