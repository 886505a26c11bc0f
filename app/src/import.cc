#include "wyckoff/app/import.h"

#include "wyckoff/db/connection.h"

namespace wyckoff::app {

Result<ImportOutcome> RunImport(const ImportRequest& r) {
  if (r.timeframe.empty()) return Fail(ErrorCode::kInvalidArgument, "the timeframe is empty");
  auto source = engine::CsvBarSource::Open(r.file, r.csv);
  if (!source) return tl::unexpected(source.error());
  auto bars = engine::ReadAll(**source);
  if (!bars) return tl::unexpected(bars.error());
  ImportOutcome out;
  out.symbol = r.symbol.empty() ? DefaultSymbol({CsvFile{r.file}, r.file}) : r.symbol;
  if (auto ok = CheckSymbolName(out.symbol); !ok) return tl::unexpected(ok.error());
  Database database(r.database);
  auto conn = database.Connection();
  if (!conn) return tl::unexpected(conn.error());
  auto summary =
      db::ImportBars(**conn, out.symbol, r.timeframe, *bars,
                     {.on_conflict = r.replace ? db::OnConflict::kReplace : db::OnConflict::kFail,
                      .actor = r.database.actor,
                      .rules = r.csv.rules});
  if (!summary) return tl::unexpected(summary.error());
  out.summary = *summary;
  out.bars = static_cast<std::int64_t>(bars->size());
  out.intraday = (*source)->intraday();
  out.skipped = {(*source)->skipped_rows(), (*source)->first_skip_reason()};
  return out;
}

}  // namespace wyckoff::app
