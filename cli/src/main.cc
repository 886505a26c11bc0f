// wyckoff: the command-line interface. Subcommands only parse, wire and print.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace wyckoff::cli;
  CLI::App app{"wyckoff: event-driven backtesting for Wyckoff trading"};
  app.require_subcommand(1);
  int exit_code = kExitOk;
  // One line per subcommand family, each in its own FAMILY_cli.cc.
  AddBacktestCommand(app, exit_code);
  AddDbCommands(app, exit_code);
  AddSearchCommands(app, exit_code);
  AddDetectCommand(app, exit_code);
  AddGenerateCommand(app, exit_code);
  AddParamsCommand(app, exit_code);
  AddBenchCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  }
  return exit_code;
}
