// Text generated from the command definitions themselves (the CLI11 App tree), so that help,
// completion and the manual never disagree with the flags: the --help formatter, the bash and
// zsh completion scripts and the man page.
//
//   app.formatter(std::make_shared<HelpFormatter>());   // before the subcommands are added
//   ...
//   std::cout << BashCompletion(app);    // `wyckoff completion bash`
//   std::cout << ManPage(app, "0.1.0");  // the build's man page (`wyckoff man`, hidden)
//
// Hidden commands (CLI11 group "") are left out of all of them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace wyckoff::cli {

// What an option's value is called in help, completion and the manual: `N` for whole numbers,
// `X` for other numbers, `{a,b}` for a fixed set of choices, else `TEXT`; never CLI11's
// validator text (`UINT:INT in [0 - 1000000000000000000]`). Empty for flags.
std::string ValueName(const CLI::Option& option);

// The choices of an option or positional checked with CLI::IsMember ({"stop", "skip"}); empty
// when any value goes.
std::vector<std::string> Choices(const CLI::Option& option);

// CLI11's formatter with ValueName in place of the type and validator names.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* option) const override;
};

// A bash completion script for `app` (source it, or install it as
// share/bash-completion/completions/wyckoff): commands, their options, choices; file names
// for other values.
std::string BashCompletion(const CLI::App& app);

// A zsh completion script for `app` (install it as _wyckoff in a folder of $fpath).
std::string ZshCompletion(const CLI::App& app);

// The man page wyckoff(1) in roff: every command with its description and options.
std::string ManPage(const CLI::App& app, const std::string& version);

// `wyckoff completion bash|zsh` and the hidden `wyckoff man` (the build writes the man page
// with it).
void AddDocCommands(CLI::App& app, const std::string& version);

}  // namespace wyckoff::cli
