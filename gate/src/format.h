// Number formatting and table rendering shared by the reports (private). format.cc also renders
// the public reports themselves: ToText and ToMarkdown of a Comparison (compare.h) and of a
// BudgetReport (budgets.h), and ToText of a RatchetPlan (ratchet.h). Values keep three
// significant digits, in the unit that reads best:
//
//   FormatDuration(1534.0)   -> "1.53 us"      FormatQuantity(3.2e7) -> "32.0M"
//   FormatChange(0.2081)     -> "+20.8%"       FormatPValue(3e-6)    -> "<0.0001"
//
//   std::string table = RenderTextTable({"name", "value"}, {{"a", "1"}}, {false, true});
#pragma once

#include <string>
#include <vector>

namespace wyckoff::gate::internal {

// Nanoseconds in ns, us, ms or s, whichever puts the value in [1, 1000): "12.3 ns", "1.50 s";
// from two minutes on, in minutes: "30.0 min".
std::string FormatDuration(double nanos);

// A count or rate with an SI suffix: "950", "1.25k", "30.0M", "1.10G". Negative values keep
// their sign.
std::string FormatQuantity(double value);

// A signed percentage with one decimal, from a fraction: 0.125 -> "+12.5%"; NaN -> "n/a".
std::string FormatChange(double fraction);

// A p-value with four decimals, "<0.0001" below that; NaN -> "n/a".
std::string FormatPValue(double p);

// A plain number with up to 3 significant digits and no exponent for ordinary magnitudes.
std::string FormatNumber(double value);

// Columns padded to their widest cell, two spaces apart; `right_align[i]` right-aligns column
// i. Every line ends with '\n' and carries no trailing spaces.
std::string RenderTextTable(const std::vector<std::string>& header,
                            const std::vector<std::vector<std::string>>& rows,
                            const std::vector<bool>& right_align);

// A GitHub-flavoured Markdown table; '|' in cells is escaped.
std::string RenderMarkdownTable(const std::vector<std::string>& header,
                                const std::vector<std::vector<std::string>>& rows,
                                const std::vector<bool>& right_align);

}  // namespace wyckoff::gate::internal
