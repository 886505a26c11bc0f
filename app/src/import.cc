#include "wyckoff/app/import.h"

namespace wyckoff::app {

Result<ImportOutcome> RunImport(const ImportRequest& r) {
  if (r.timeframe.empty()) return Fail(ErrorCode::kInvalidArgument, "the timeframe is empty");
  Database database(r.database);
  const DataRequest request{
      .data = {{CsvFile{r.file}, r.file}},
      .symbols = r.symbol.empty() ? std::vector<std::string>{} : std::vector<std::string>{r.symbol},
      .csv = r.csv,
      .progress = r.progress};
  auto opened = OpenData(request, database);  // the file, checked like every other source
  if (!opened) return tl::unexpected(opened.error());
  engine::BarSource& source = *opened->sources.front();
  auto bars = engine::ReadAll(source);
  if (!bars) return tl::unexpected(bars.error());
  ImportOutcome out;
  out.symbol = opened->symbols.front().name;
  auto session = database.Session();
  if (!session) return tl::unexpected(session.error());
  auto summary = (*session)->ImportBars(
      out.symbol, r.timeframe, *bars,
      {.on_conflict = r.replace ? db::OnConflict::kReplace : db::OnConflict::kFail,
       .actor = r.database.actor,
       .rules = r.csv.rules});
  if (!summary) return tl::unexpected(summary.error());
  out.summary = *summary;
  out.bars = static_cast<std::int64_t>(bars->size());
  out.intraday = source.intraday();
  out.skipped = SkippedRows(opened->sources);
  return out;
}

}  // namespace wyckoff::app
