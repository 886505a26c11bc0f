#include "docgen.h"

#include <iostream>
#include <sstream>

#include "commands.h"

namespace wyckoff::cli {
namespace {

// The parts of CLI11's full type name: "UINT:INT in [0 - 10]" -> {"UINT", "INT in [0 - 10]"}.
// Flags take no value (CLI11 leaves their type name empty).
bool IsFlag(const CLI::Option& option) {
  return option.get_type_size() == 0 || option.get_items_expected_max() == 0 ||
         option.get_type_name().empty();
}

std::vector<std::string> TypeParts(const CLI::Option& option) {
  std::vector<std::string> parts;
  std::string text = option.get_type_name();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t colon = start;
    int depth = 0;  // a choice set may hold colons: {a:b}
    while (colon < text.size() && (text[colon] != ':' || depth > 0)) {
      depth += text[colon] == '{' ? 1 : text[colon] == '}' ? -1 : 0;
      ++colon;
    }
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  return parts;
}

// The visible subcommands of `app` (hidden ones have the group "").
std::vector<const CLI::App*> Visible(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

// The options a user types: named ones first (--help included), then the positionals.
std::vector<const CLI::Option*> Options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); });
}

// Every spelling of a named option: "-h", "--help".
std::vector<std::string> Spellings(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const auto& s : option.get_snames()) names.push_back("-" + s);
  for (const auto& l : option.get_lnames()) names.push_back("--" + l);
  return names;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// Shell quoting in single quotes.
std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A command's path for completion: "wyckoff/db/migrate".
struct Node {
  std::string path;
  const CLI::App* app;
};

void Collect(const CLI::App& app, const std::string& path, std::vector<Node>& nodes) {
  nodes.push_back({path, &app});
  for (const CLI::App* sub : Visible(app)) Collect(*sub, path + "/" + sub->get_name(), nodes);
}

std::vector<Node> Tree(const CLI::App& app) {
  std::vector<Node> nodes;
  Collect(app, "wyckoff", nodes);
  return nodes;
}

// The words offered at `node` before any option: its subcommands, or its positionals' choices.
std::vector<std::string> Words(const Node& node) {
  std::vector<std::string> words;
  for (const CLI::App* sub : Visible(*node.app)) words.push_back(sub->get_name());
  for (const CLI::Option* o : Options(*node.app)) {
    if (!o->nonpositional())
      for (const auto& c : Choices(*o)) words.push_back(c);
  }
  return words;
}

std::vector<std::string> OptionWords(const Node& node, bool with_value) {
  std::vector<std::string> words;
  for (const CLI::Option* o : Options(*node.app)) {
    if (!o->nonpositional() || (with_value && IsFlag(*o))) continue;
    for (const auto& s : Spellings(*o)) words.push_back(s);
  }
  return words;
}

// roff text: backslashes, hyphens and a leading dot or quote escaped.
std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

void ManCommand(const CLI::App& app, const std::string& path, std::ostringstream& out) {
  const std::vector<const CLI::App*> subs = Visible(app);
  std::vector<const CLI::Option*> options;  // all but --help, which every command has
  for (const CLI::Option* o : Options(app)) {
    if (o->get_lnames() != std::vector<std::string>{"help"}) options.push_back(o);
  }
  if (subs.empty() || !options.empty()) {
    out << ".SS \"" << Roff(path) << "\"\n" << Roff(app.get_description()) << "\n";
    for (const CLI::Option* o : options) {
      out << ".TP\n";
      if (o->nonpositional()) {
        std::vector<std::string> names;
        for (const auto& s : Spellings(*o)) names.push_back("\\fB" + Roff(s) + "\\fR");
        out << Join(names, ", ");
      } else {
        out << "\\fI" << Roff(o->get_name()) << "\\fR";
      }
      const std::string value = ValueName(*o);
      if (o->nonpositional() && !value.empty()) out << " \\fI" << Roff(value) << "\\fR";
      std::vector<std::string> notes;
      // An absolute path as the default is where this build found a file (the migrations, the
      // budgets): not the installed program's, so the page leaves it out.
      const std::string default_value = o->get_default_str();
      if (!default_value.empty() && default_value[0] != '/') {
        notes.push_back("default: " + default_value);
      }
      if (o->get_required()) notes.push_back("required");
      if (o->get_expected_max() > 1) notes.push_back("repeatable");
      out << "\n" << Roff(o->get_description());
      if (!notes.empty()) out << " [" << Roff(Join(notes, "; ")) << "]";
      out << "\n";
    }
  }
  for (const CLI::App* sub : subs) ManCommand(*sub, path + " " + sub->get_name(), out);
}

}  // namespace

std::vector<std::string> Choices(const CLI::Option& option) {
  std::vector<std::string> choices;
  for (const std::string& part : TypeParts(option)) {
    if (part.size() < 2 || part.front() != '{' || part.back() != '}') continue;
    std::stringstream items(part.substr(1, part.size() - 2));
    for (std::string item; std::getline(items, item, ',');) choices.push_back(item);
  }
  return choices;
}

std::string ValueName(const CLI::Option& option) {
  if (IsFlag(option)) return "";
  const std::vector<std::string> choices = Choices(option);
  if (!choices.empty()) return "{" + Join(choices, ",") + "}";
  const std::string type = TypeParts(option).front();
  if (type == "INT" || type == "UINT") return "N";
  if (type == "FLOAT") return "X";
  return type.empty() ? "VALUE" : type;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  if (!option->get_option_text().empty()) return " " + option->get_option_text();
  std::string out;
  if (!IsFlag(*option)) {
    out += " " + ValueName(*option);
    if (!option->get_default_str().empty()) out += "=" + option->get_default_str();
    if (option->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
    if (option->get_required()) out += " REQUIRED";
  }
  return out;
}

std::string BashCompletion(const CLI::App& app) {
  const std::vector<Node> nodes = Tree(app);
  std::ostringstream out;
  out << "# bash completion for wyckoff; generated from its command definitions by\n"
         "# `wyckoff completion bash`. Install as share/bash-completion/completions/wyckoff, or\n"
         "# source it: source <(wyckoff completion bash)\n"
         "_wyckoff() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  local cmd=wyckoff i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case \"$cmd/${COMP_WORDS[i]}\" in\n";
  std::vector<std::string> paths;
  for (std::size_t i = 1; i < nodes.size(); ++i) paths.push_back(nodes[i].path);
  out << "      " << Join(paths, "|") << ") cmd=$cmd/${COMP_WORDS[i]} ;;\n"
      << "    esac\n"
         "  done\n"
         "  local words='' options='' valued=''\n"
         "  case $cmd in\n";
  for (const Node& node : nodes) {
    out << "    " << node.path << ")\n"
        << "      words=" << ShellQuote(Join(Words(node), " ")) << "\n"
        << "      options=" << ShellQuote(Join(OptionWords(node, false), " ")) << "\n"
        << "      valued=" << ShellQuote(Join(OptionWords(node, true), " ")) << "\n";
    for (const CLI::Option* o : Options(*node.app)) {
      const std::vector<std::string> choices = Choices(*o);
      if (!o->nonpositional() || choices.empty()) continue;
      out << "      case $prev in " << Join(Spellings(*o), "|") << ")\n"
          << "        COMPREPLY=($(compgen -W " << ShellQuote(Join(choices, " "))
          << " -- \"$cur\")); return ;;\n"
          << "      esac\n";
    }
    out << "      ;;\n";
  }
  out << "  esac\n"
         "  if [[ -n $valued && \" $valued \" == *\" $prev \"* ]]; then\n"
         "    compopt -o filenames 2>/dev/null\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  elif [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
         "  elif [[ -n $words ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "  else\n"
         "    compopt -o filenames 2>/dev/null\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -F _wyckoff wyckoff\n";
  return out.str();
}

std::string ZshCompletion(const CLI::App& app) {
  const std::vector<Node> nodes = Tree(app);
  auto described = [](const std::string& name, const std::string& description) {
    std::string escaped;
    for (char c : name) escaped += c == ':' ? std::string("\\:") : std::string(1, c);
    return ShellQuote(escaped + ":" + description);
  };
  std::ostringstream out;
  out << "#compdef wyckoff\n"
         "# zsh completion for wyckoff; generated from its command definitions by\n"
         "# `wyckoff completion zsh`. Install as _wyckoff in a folder of $fpath.\n"
         "_wyckoff() {\n"
         "  local cmd=wyckoff i\n"
         "  for ((i = 2; i < CURRENT; i++)); do\n"
         "    case \"$cmd/${words[i]}\" in\n";
  std::vector<std::string> paths;
  for (std::size_t i = 1; i < nodes.size(); ++i) paths.push_back(nodes[i].path);
  out << "      (" << Join(paths, "|") << ") cmd=$cmd/${words[i]} ;;\n"
      << "    esac\n"
         "  done\n"
         "  local prev=${words[CURRENT-1]}\n"
         "  local -a subcommands options valued choices\n"
         "  case $cmd in\n";
  for (const Node& node : nodes) {
    out << "    (" << node.path << ")\n";
    std::vector<std::string> subs, options;
    for (const CLI::App* sub : Visible(*node.app))
      subs.push_back(described(sub->get_name(), sub->get_description()));
    for (const CLI::Option* o : Options(*node.app)) {
      if (!o->nonpositional()) {
        for (const auto& c : Choices(*o)) subs.push_back(described(c, o->get_description()));
        continue;
      }
      for (const auto& s : Spellings(*o)) options.push_back(described(s, o->get_description()));
    }
    out << "      subcommands=(" << Join(subs, " ") << ")\n"
        << "      options=(" << Join(options, " ") << ")\n"
        << "      valued=(" << Join(OptionWords(node, true), " ") << ")\n";
    for (const CLI::Option* o : Options(*node.app)) {
      const std::vector<std::string> choices = Choices(*o);
      if (!o->nonpositional() || choices.empty()) continue;
      out << "      case $prev in (" << Join(Spellings(*o), "|") << ") choices=("
          << Join(choices, " ") << ") ;; esac\n";
    }
    out << "      ;;\n";
  }
  out << "  esac\n"
         "  if (( ${#choices} )); then\n"
         "    compadd -a choices\n"
         "  elif (( ${valued[(Ie)$prev]} )); then\n"
         "    _files\n"
         "  elif [[ $PREFIX == -* ]]; then\n"
         "    _describe -t options option options\n"
         "  elif (( ${#subcommands} )); then\n"
         "    _describe -t commands command subcommands\n"
         "  else\n"
         "    _files\n"
         "  fi\n"
         "}\n"
         "_wyckoff \"$@\"\n";
  return out.str();
}

std::string ManPage(const CLI::App& app, const std::string& version) {
  std::ostringstream out;
  out << ".\\\" wyckoff(1); generated from the command definitions by `wyckoff man`.\n"
      << ".TH WYCKOFF 1 \"\" \"wyckoff " << Roff(version) << "\" \"User Commands\"\n"
      << ".SH NAME\nwyckoff \\- event\\-driven backtesting for Wyckoff trading\n"
      << ".SH SYNOPSIS\n.B wyckoff\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n"
      << ".B wyckoff\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
      << ".SH DESCRIPTION\n"
      << "Bars from CSV files (or PostgreSQL) are replayed one at a time through Wyckoff pattern "
         "detectors and a strategy; an exact\\-decimal broker simulation fills the orders. "
         "The commands:\n";
  for (const CLI::App* sub : Visible(app)) {
    out << ".TP\n\\fB" << Roff(sub->get_name()) << "\\fR\n" << Roff(sub->get_description()) << "\n";
  }
  out << ".SH COMMANDS\n";
  for (const CLI::App* sub : Visible(app)) ManCommand(*sub, "wyckoff " + sub->get_name(), out);
  out << ".SH ENVIRONMENT\n"
      << ".TP\n\\fBWYCKOFF_DB\\fR\nThe PostgreSQL URL when \\fB\\-\\-db\\fR is absent or empty "
         "(scripts/db.sh url prints one).\n"
      << ".TP\n\\fBPGHOST\\fR, \\fBPGPORT\\fR, \\fBPGDATABASE\\fR, \\fBPGUSER\\fR, ...\n"
         "libpq's variables name the server when neither \\fB\\-\\-db\\fR nor "
         "\\fBWYCKOFF_DB\\fR does.\n"
      << ".TP\n\\fBWYCKOFF_MIGRATIONS_DIR\\fR\nThe folder of the schema migrations (default: "
         "the installed share/wyckoff/migrations).\n"
      << ".SH EXIT STATUS\n0 success, 1 the run failed (an output file, the database), 2 bad "
         "input or usage.\n"
      << ".SH SEE ALSO\nThe README and docs/ in /usr/share/doc/wyckoff (or the source "
         "tree).\n";
  return out.str();
}

void AddDocCommands(CLI::App& app, const std::string& version) {
  static std::string shell;
  CLI::App* completion = app.add_subcommand(
      "completion", "Print a shell completion script: source <(wyckoff completion bash)");
  completion->add_option("SHELL", shell, "bash or zsh")
      ->check(CLI::IsMember({"bash", "zsh"}))
      ->required();
  completion->callback(
      [&app] { std::cout << (shell == "bash" ? BashCompletion(app) : ZshCompletion(app)); });
  CLI::App* man = app.add_subcommand("man", "Print the man page wyckoff(1) in roff");
  man->group("");
  man->callback([&app, version] { std::cout << ManPage(app, version); });
}

}  // namespace wyckoff::cli
