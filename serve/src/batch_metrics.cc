#include "wyckoff/serve/batch_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "wyckoff/report/output_file.h"

namespace wyckoff::serve {

Result<void> WriteBatchMetrics(const std::string& path, const BatchFigures& f) {
  prometheus::Registry registry;
  const prometheus::Labels labels = {{"command", f.command}};
  prometheus::BuildHistogram()
      .Name("wyckoff_backtest_duration_seconds")
      .Help("Wall time of batch runs (backtest, walk-forward, optimize)")
      .Register(registry)
      .Add(labels, prometheus::Histogram::BucketBoundaries{0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30,
                                                           60, 300, 600})
      .Observe(f.seconds);
  prometheus::BuildCounter()
      .Name("wyckoff_batch_bars_total")
      .Help("Bars the run replayed (searches: clock steps over every backtest)")
      .Register(registry)
      .Add(labels)
      .Increment(static_cast<double>(f.bars));
  prometheus::BuildGauge()
      .Name("wyckoff_batch_bars_per_second")
      .Help("Bars per second of wall time (NFR7: at least 100)")
      .Register(registry)
      .Add(labels)
      .Set(f.seconds > 0 ? static_cast<double>(f.bars) / f.seconds : 0);
  prometheus::BuildCounter()
      .Name("wyckoff_batch_runs_total")
      .Help("Backtests the run made")
      .Register(registry)
      .Add(labels)
      .Increment(static_cast<double>(f.runs));
  prometheus::BuildCounter()
      .Name("wyckoff_batch_trades_total")
      .Help("Closed trades of the reported run")
      .Register(registry)
      .Add(labels)
      .Increment(static_cast<double>(f.trades));
  prometheus::BuildGauge()
      .Name("wyckoff_batch_last_success_timestamp_seconds")
      .Help("Unix time the last successful run ended")
      .Register(registry)
      .Add(labels)
      .Set(f.finished);
  auto file = report::OutputFile::Create(path);
  if (!file) return tl::unexpected(file.error());
  file->Write(prometheus::TextSerializer().Serialize(registry.Collect()));
  return file->Commit();
}

}  // namespace wyckoff::serve
