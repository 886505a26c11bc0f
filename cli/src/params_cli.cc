// `wyckoff params`: every parameter of a strategy, from its schema (the docs' tables are this
// command's --markdown output, and a test keeps them equal).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "sources.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

struct ParamsOptions {
  std::string strategy = "wyckoff";
  bool markdown = false;
};

// One line per parameter: name, domain, default and meaning in aligned columns.
std::string ParamsText(const ParamSchema& schema) {
  std::size_t name_width = 9, domain_width = 6, default_width = 7;
  for (std::size_t i = 0; i < schema.size(); ++i) {
    const ParamSpec& s = schema.specs()[i];
    name_width = std::max(name_width, s.name.size());
    domain_width = std::max(domain_width, DescribeDomain(s).size());
    default_width = std::max(default_width, schema.Format(i, s.default_value).size());
  }
  auto pad = [](std::string text, std::size_t width) {
    return text + std::string(width - std::min(width, text.size()) + 2, ' ');
  };
  std::string out = pad("parameter", name_width) + pad("values", domain_width) +
                    pad("default", default_width) + "meaning\n";
  for (std::size_t i = 0; i < schema.size(); ++i) {
    const ParamSpec& s = schema.specs()[i];
    out += pad(s.name, name_width) + pad(DescribeDomain(s), domain_width) +
           pad(schema.Format(i, s.default_value), default_width) + s.doc + "\n";
  }
  return out;
}

int RunParams(const ParamsOptions& o) {
  auto type = strategies::FindStrategy(o.strategy);
  if (!type) return ReportError(type.error());
  const ParamSchema& schema = (*type)->schema();
  std::cout << (o.markdown ? ParamTableMarkdown(schema) : ParamsText(schema));
  return kExitOk;
}

}  // namespace

void AddParamsCommand(CLI::App& app, int& exit_code) {
  static ParamsOptions o;
  CLI::App* cmd = app.add_subcommand(
      "params", "List a strategy's parameters: name, values, default and meaning");
  cmd->add_option("--strategy", o.strategy, "Strategy name")->capture_default_str();
  cmd->add_flag("--markdown", o.markdown, "Print the table of docs/parameters.md");
  cmd->callback([&exit_code] { exit_code = RunParams(o); });
}

}  // namespace wyckoff::cli
