// wyckoff: the command-line interface. Subcommands map flags to the application's requests and
// print its outcomes (commands.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string_view>

#include "commands.h"
#include "docgen.h"
#include "version.h"
#include "wyckoff/app/cluster.h"

namespace wyckoff::cli {
namespace {

// "wyckoff 0.1.0 (commit 1a2b3c4)", from CMake's project version and the checkout's commit.
std::string VersionText() {
  return std::string("wyckoff ") + WYCKOFF_VERSION + " (commit " + WYCKOFF_GIT_COMMIT + ")";
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The commands `wyckoff help` lists: all but the hidden ones (group "").
std::vector<const CLI::App*> VisibleCommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

// The error for a first word that names no command, with the closest command.
std::string UnknownCommand(const CLI::App& app, std::string_view word) {
  std::string closest;
  std::size_t best = 0;
  for (const CLI::App* sub : VisibleCommands(app)) {
    const std::size_t d = EditDistance(word, sub->get_name());
    if (closest.empty() || d < best) closest = sub->get_name(), best = d;
  }
  std::string message = "unknown command \"" + std::string(word) + "\"";
  if (best <= 3) message += "; did you mean " + closest + "?";
  return message + " (wyckoff help lists the commands)";
}

// A usage error: one line, exit 2. Every rank of an MPI job (docs/distributed.md) meets it
// alike; rank 0 says it and the others exit 0 silently, so that the launcher does not stop
// rank 0 before it has.
int UsageError(const std::string& line) {
  if (app::DetectLaunch().rank != 0) return kExitOk;
  std::cerr << "error: " << line << "\n";
  return kExitBadInput;
}

}  // namespace
}  // namespace wyckoff::cli

int main(int argc, char** argv) {
  using namespace wyckoff::cli;
  CLI::App app{"wyckoff: event-driven backtesting for Wyckoff trading"};
  app.formatter(std::make_shared<HelpFormatter>());  // subcommands inherit it
  app.require_subcommand(1);
  app.set_version_flag("--version", VersionText());
  int exit_code = kExitOk;
  // One line per subcommand family, each in its own FAMILY_cli.cc.
  AddBacktestCommand(app, exit_code);
  AddDbCommands(app, exit_code);
  AddSearchCommands(app, exit_code);
  AddDetectCommand(app, exit_code);
  AddStudyCommand(app, exit_code);
  AddGenerateCommand(app, exit_code);
  AddParamsCommand(app, exit_code);
  AddReportCommand(app, exit_code);
  AddBenchCommands(app, exit_code);
  AddServeCommands(app, exit_code);
  app.add_subcommand("version", "Print the version and the commit it was built from")->callback([] {
    std::cout << VersionText() << "\n";
  });
  app.add_subcommand("help", "List the commands (wyckoff COMMAND --help for one)")
      ->callback([&app] {
        std::cout << app.get_formatter()->make_help(&app, "wyckoff", CLI::AppFormatMode::Normal);
      });
  AddDocCommands(app, WYCKOFF_VERSION);
  auto known = [&app](std::string_view word) {
    const auto subs = app.get_subcommands({});
    return std::any_of(subs.begin(), subs.end(),
                       [&](const CLI::App* sub) { return sub->get_name() == word; });
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    return UsageError(UnknownCommand(app, argv[1]));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    // A family without its command (`wyckoff db`): name the commands it has.
    const CLI::App* level = &app;
    while (!level->get_subcommands().empty()) level = level->get_subcommands().front();
    if (level->get_subcommands({}).empty() || level->count_all() > 1) return UsageError(e.what());
    std::string names;
    for (const CLI::App* sub : VisibleCommands(*level)) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    return UsageError((level == &app ? "wyckoff" : "wyckoff " + level->get_name()) +
                      " needs a command: " + names);
  } catch (const CLI::ParseError& e) {
    return UsageError(e.what());
  }
  return exit_code;
}
