// `wyckoff report`: flags to an app::ReportPageRequest, its outcome to one line.
#include <iostream>

#include "commands.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/app/report_page.h"

namespace wyckoff::cli {

int RunReportPage(const ReportOptions& o) {
  auto data = DataRequestOf(o.data, o.symbols, o.on_bad_row, o.allow_nonpositive_prices, o.cache);
  if (!data) return ReportError(data.error());
  auto outcome = app::RunReportPage({.run = o.run,
                                     .data = std::move(*data),
                                     .out = o.out,
                                     .bars = static_cast<std::size_t>(o.bars),
                                     .database = {.url = o.db}});
  if (!outcome) return ReportError(outcome.error());
  std::cout << "wrote " << o.out << ": " << outcome->kind << ", " << outcome->bars << " bars"
            << (outcome->aggregated ? " (aggregated)" : "") << ", " << outcome->events
            << (outcome->events == 1 ? " event, " : " events, ") << outcome->trades
            << (outcome->trades == 1 ? " trade\n" : " trades\n");
  WarnSkipped(outcome->skipped);
  return kExitOk;
}

}  // namespace wyckoff::cli
