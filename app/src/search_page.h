// The HTML report pages of parameter searches (report/html_report.h), made from a search's
// results and the bars it loaded.
#pragma once

#include "wyckoff/app/search.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::app {

// optimize: the bars, the best combination's run (made again: events, trades, equity; its
// digest is the page's charted_run_digest), every combination for the heat map. Written to
// request.html_report and closed, not committed. Errors: the run's, the file's.
Result<report::OutputFile> WriteOptimizePage(const SearchRequest& request,
                                             const engine::MarketData& data,
                                             const engine::SearchResult& result,
                                             const report::SearchInfo& info);

// walk-forward: the bars, the stitched out-of-sample equity and trades, the windows, and the
// detector events of every test window: each window with a winner is run again as the
// walk-forward ran it (same bars, warm-up, starting value and parameters) to get them, and the
// stop and target of each trade's entry. Errors: the runs', the file's.
Result<report::OutputFile> WriteWalkForwardPage(const SearchRequest& request,
                                                const engine::MarketData& data,
                                                const engine::WalkForwardResult& wf,
                                                const report::SearchInfo& info);

}  // namespace wyckoff::app
