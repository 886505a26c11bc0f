// The command line itself: version, help, and what a wrong or missing command says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

using testing::Outcome;
using testing::RunWyckoff;

TEST(CommandsCliTest, VersionNamesTheReleaseAndTheCommit) {
  Outcome flag = RunWyckoff("--version");
  Outcome command = RunWyckoff("version");
  ASSERT_EQ(flag.exit_code, 0);
  EXPECT_TRUE(std::regex_match(flag.out, std::regex("wyckoff 0\\.1\\.0 \\(commit ([0-9a-f]{12}|"
                                                    "unknown)\\)\n")))
      << flag.out;
  EXPECT_EQ(command.out, flag.out);
}

TEST(CommandsCliTest, HelpListsTheCommands) {
  Outcome r = RunWyckoff("help");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* command : {"backtest", "optimize", "walk-forward", "detect", "study", "generate",
                              "params", "db", "bench"}) {
    EXPECT_NE(r.out.find("\n  " + std::string(command)), std::string::npos) << command;
  }
}

TEST(CommandsCliTest, AWrongOrMissingCommandSaysWhatExists) {
  struct Case {
    const char* args;
    const char* error;
  } cases[] = {
      {"backtesst",
       "error: unknown command \"backtesst\"; did you mean backtest? (wyckoff help lists the "
       "commands)\n"},
      {"frobnicate", "error: unknown command \"frobnicate\" (wyckoff help lists the commands)\n"},
      {"",
       "error: wyckoff needs a command: backtest, db, optimize, walk-forward, detect, study, "
       "generate, params, report, bench, serve, load, version, help, completion\n"},
      {"db", "error: wyckoff db needs a command: migrate, status, import, runs, show\n"},
  };
  for (const Case& c : cases) {
    Outcome r = RunWyckoff(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err, c.error) << c.args;
  }
}

// The lines of `text` that start with `prefix`.
std::string LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::string found;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0) found += line + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return found;
}

TEST(CommandsCliTest, HelpNamesValuesWithoutTypeAndValidatorNoise) {
  Outcome generate = RunWyckoff("generate --help");
  Outcome optimize = RunWyckoff("optimize --help");
  Outcome detect = RunWyckoff("detect --help");
  ASSERT_EQ(generate.exit_code, 0);
  ASSERT_EQ(optimize.exit_code, 0);
  EXPECT_EQ(
      LinesStartingWith(generate.out, "  --"),
      "  --scenario TEXT=accumulation\n"
      "  --bars N=5000               Number of daily bars (at least 400)\n"
      "  --seed N=1                  Random seed: the same seed gives the same files\n"
      "  --out TEXT REQUIRED         CSV file for the bars (Date,Open,High,Low,Close,Volume)\n"
      "  --labels TEXT               CSV file for the planted truth (type,pattern_time,...)\n");
  EXPECT_EQ(LinesStartingWith(optimize.out, "  --samples"),
            "  --samples N                 Run a random sample of N combinations (0: all)\n");
  EXPECT_EQ(LinesStartingWith(optimize.out, "  --jobs"),
            "  --jobs N                    Worker threads (default: the number of cores)\n");
  EXPECT_EQ(LinesStartingWith(detect.out, "  --on-bad-row"), "  --on-bad-row {stop,skip}=stop\n");
  for (const Outcome* r : {&generate, &optimize, &detect}) {
    EXPECT_EQ(r->out.find("UINT"), std::string::npos) << r->out;
    EXPECT_EQ(r->out.find(" INT"), std::string::npos) << r->out;
    EXPECT_EQ(r->out.find("NONNEGATIVE"), std::string::npos) << r->out;
    EXPECT_EQ(r->out.find("TEXT:"), std::string::npos) << r->out;
  }
}

// Runs `script` in bash with the completion of `wyckoff completion bash` loaded; the script
// prints what it wants to check.
Outcome InBashWithCompletion(const std::string& script) {
  const auto dir = testing::FreshDir("completion", "bash");
  {
    std::ofstream(dir / "check.sh") << "source <(" WYCKOFF_CLI " completion bash)\n"
                                    << "complete_words() { COMP_WORDS=(\"$@\"); "
                                       "COMP_CWORD=$(($# - 1)); COMPREPLY=(); _wyckoff; "
                                       "echo \"${COMPREPLY[*]}\"; }\n"
                                    << script;
  }
  const std::string cmd = "bash " + (dir / "check.sh").string() + " >" + (dir / "out").string() +
                          " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  Outcome r{WEXITSTATUS(status), testing::Slurp(dir / "out"), testing::Slurp(dir / "err")};
  std::filesystem::remove_all(dir);
  return r;
}

TEST(CommandsCliTest, BashCompletionOffersCommandsOptionsAndChoices) {
  Outcome r = InBashWithCompletion(
      "complete_words wyckoff ''\n"
      "complete_words wyckoff d\n"
      "complete_words wyckoff db s\n"
      "complete_words wyckoff backtest --al\n"
      "complete_words wyckoff backtest --on-bad-row ''\n"
      "complete_words wyckoff db import --data data/daily/ko\n"
      "complete_words wyckoff completion ''\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "backtest db optimize walk-forward detect study generate params report bench serve "
            "load version help completion\n"
            "db detect\n"
            "status show\n"
            "--allow-nonpositive-prices --allow-short\n"
            "stop skip\n"
            "data/daily/ko-1997-1998.csv\n"
            "bash zsh\n");
}

// Runs the zsh completion function in zsh with the completion system's builtins stubbed to
// print what they are offered: `words` and `CURRENT` as zsh sets them for each case.
Outcome InZshWithCompletion(const std::string& cases) {
  const auto dir = testing::FreshDir("completion", "zsh");
  std::filesystem::create_directories(dir / "functions");
  const std::string generate =
      WYCKOFF_CLI " completion zsh >" + (dir / "functions" / "_wyckoff").string();
  if (std::system(generate.c_str()) != 0) return {1, "", "wyckoff completion zsh failed"};
  std::ofstream(dir / "check.zsh")
      << "fpath=(" << (dir / "functions").string() << " $fpath)\n"
      << "autoload -Uz _wyckoff\n"
      << "compadd() { [[ $1 == -a ]] && print -r -- \"choices: ${(P)2}\" }\n"
      << "_describe() { local -a names=(\"${(@P)4}\"); print -r -- \"$3:\" ${names%%:*} }\n"
      << "_files() { print -r -- files }\n"
      << "complete_words() { words=(\"$@\"); CURRENT=$#; PREFIX=${@[-1]}; _wyckoff }\n"
      << cases;
  const std::string cmd = "zsh -f " + (dir / "check.zsh").string() + " >" + (dir / "out").string() +
                          " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  Outcome r{WEXITSTATUS(status), testing::Slurp(dir / "out"), testing::Slurp(dir / "err")};
  std::filesystem::remove_all(dir);
  return r;
}

TEST(CommandsCliTest, ZshCompletionOffersCommandsOptionsAndChoices) {
  Outcome r = InZshWithCompletion(
      "complete_words wyckoff db s\n"
      "complete_words wyckoff backtest --on-bad-row ''\n"
      "complete_words wyckoff backtest --data ''\n"
      "complete_words wyckoff db show --\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "command: migrate status import runs show\n"
            "choices: stop skip\n"
            "files\n"
            "option: -h --help --db\n");
}

TEST(CommandsCliTest, ZshCompletionAndManPageCoverEveryCommand) {
  Outcome zsh = RunWyckoff("completion zsh");
  Outcome man = RunWyckoff("man");
  Outcome bad = RunWyckoff("completion fish");
  ASSERT_EQ(zsh.exit_code, 0);
  ASSERT_EQ(man.exit_code, 0);
  EXPECT_EQ(zsh.out.substr(0, zsh.out.find('\n')), "#compdef wyckoff");
  EXPECT_NE(zsh.out.find("    (wyckoff/db/show)\n"), std::string::npos);
  EXPECT_NE(zsh.out.find("      case $prev in (--on-bad-row) choices=(stop skip) ;; esac\n"),
            std::string::npos);
  EXPECT_EQ(LinesStartingWith(man.out, ".TH"),
            ".TH WYCKOFF 1 \"\" \"wyckoff 0.1.0\" \"User Commands\"\n");
  EXPECT_EQ(LinesStartingWith(man.out, ".SS"),
            ".SS \"wyckoff backtest\"\n.SS \"wyckoff db migrate\"\n.SS \"wyckoff db status\"\n"
            ".SS \"wyckoff db import\"\n.SS \"wyckoff db runs\"\n.SS \"wyckoff db show\"\n"
            ".SS \"wyckoff optimize\"\n.SS \"wyckoff walk\\-forward\"\n.SS \"wyckoff detect\"\n"
            ".SS \"wyckoff study\"\n.SS \"wyckoff generate\"\n.SS \"wyckoff params\"\n"
            ".SS \"wyckoff report\"\n.SS \"wyckoff bench compare\"\n"
            ".SS \"wyckoff bench budgets\"\n.SS \"wyckoff bench ratchet\"\n"
            ".SS \"wyckoff serve\"\n.SS \"wyckoff load\"\n"
            ".SS \"wyckoff version\"\n.SS \"wyckoff help\"\n.SS \"wyckoff completion\"\n");
  EXPECT_NE(man.out.find(".TP\n\\fB\\-\\-seed\\fR \\fIN\\fR\nRandom seed: the same seed gives "
                         "the same files [default: 1]\n"),
            std::string::npos);
  // Defaults that are this build's paths (the migrations, the budgets) are not an installed
  // program's: the page leaves them out.
  EXPECT_EQ(man.out.find("[default: /"), std::string::npos);
  EXPECT_NE(RunWyckoff("db migrate --help")
                .out.find("--migrations TEXT=" WYCKOFF_SOURCE_DIR "/db/migrations\n"),
            std::string::npos);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "error: SHELL: fish not in {bash,zsh}\n");
  // The hidden `man` is not offered.
  EXPECT_EQ(RunWyckoff("help").out.find("  man"), std::string::npos);
}

TEST(CommandsCliTest, BenchBudgetsFindsTheBudgetsFromAnyFolder) {
  const auto dir = testing::FreshDir("commands-cli", "budgets-elsewhere");

  Outcome r = RunWyckoff("bench budgets --results missing.json", dir.string());

  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "wyckoff bench budgets: missing.json: cannot open (No such file or directory)\n");
}

}  // namespace
}  // namespace wyckoff::cli

namespace wyckoff::testing {
namespace {

// What the dynamic loader maps for the program, as `ldd` lists it.
std::string LoadedLibraries() {
  const auto dir = FreshDir("commands", "ldd");
  const std::string out = (dir / "ldd.txt").string();
  EXPECT_EQ(std::system(("ldd " WYCKOFF_CLI " >" + out).c_str()), 0);
  return Slurp(out);
}

// Startup: a command loads only what every command needs. PostgreSQL support (libpqxx, libpq
// and the TLS, Kerberos and LDAP libraries behind them) is a module loaded by the commands
// that use a database; gperftools' profiler is loaded by --profile.
TEST(CommandsCliTest, TheProgramStartsWithoutPostgresOrTheProfiler) {
  const std::string libraries = LoadedLibraries();
  EXPECT_NE(libraries.find("libstdc++.so.6"), std::string::npos) << libraries;
  for (const char* absent : {"libpq", "libprofiler", "libssl", "libgssapi", "libldap"}) {
    EXPECT_EQ(libraries.find(absent), std::string::npos) << absent << " in\n" << libraries;
  }
}

// The module is looked for where WYCKOFF_PG_MODULE says; a database command without it says
// why, and the commands that need no database do not notice.
TEST(CommandsCliTest, WithoutThePostgresModuleOnlyDatabaseCommandsFail) {
  setenv("WYCKOFF_PG_MODULE", "/nonexistent/libwyckoff-pg.so", 1);
  Outcome status = RunWyckoff("db status --db postgresql://localhost/wyckoff");
  Outcome stored = RunWyckoff("backtest --data postgresql:KO:1d");
  Outcome file = RunWyckoff("backtest --data data/daily/ko-1997-1998.csv");
  setenv("WYCKOFF_PG_MODULE", WYCKOFF_SOURCE_DIR "/README.md", 1);
  Outcome not_a_library = RunWyckoff("db runs");
  unsetenv("WYCKOFF_PG_MODULE");
  const std::string missing =
      "error: PostgreSQL support is not available: cannot load libwyckoff-pg.so (not found; "
      "looked at /nonexistent/libwyckoff-pg.so)\n";
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_EQ(status.err, missing);
  EXPECT_EQ(stored.exit_code, 1);
  EXPECT_EQ(stored.err, missing);
  EXPECT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(not_a_library.exit_code, 1);
  EXPECT_EQ(not_a_library.err,
            "error: PostgreSQL support is not available: cannot load libwyckoff-pg.so "
            "(" WYCKOFF_SOURCE_DIR "/README.md: invalid ELF header; looked at " WYCKOFF_SOURCE_DIR
            "/README.md)\n");
}

}  // namespace
}  // namespace wyckoff::testing
