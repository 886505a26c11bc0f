#include "wyckoff/app/generate.h"

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::app {
namespace {

// Writes the bars as `wyckoff backtest` and `wyckoff detect` read them (daily dates, or a date
// and a time of day for one-minute bars; prices in whole cents, whole-share volumes) and the
// labels (one row per planted label; times as in events.csv, indices count bars from 0) as
// the generator hands them on, in blocks of about 1 MiB: memory does not grow with the files.
class CsvScenarioSink final : public fixtures::ScenarioSink {
 public:
  CsvScenarioSink(report::OutputFile& bars, report::OutputFile* labels, bool intraday,
                  std::size_t total, const std::function<void(std::size_t, std::size_t)>& progress)
      : bars_file_(bars),
        labels_file_(labels),
        intraday_(intraday),
        total_(total),
        progress_(progress),
        bars_csv_(bars_block_),
        labels_csv_(labels_block_) {
    bars_block_.reserve(kBlock + 256);
    if (intraday) {
      bars_csv_.Row({"Date", "Time", "Open", "High", "Low", "Close", "Volume"});
    } else {
      bars_csv_.Row({"Date", "Open", "High", "Low", "Close", "Volume"});
    }
    labels_csv_.Row({"type", "pattern_time", "end_time", "pattern_index", "end_index", "structure",
                     "level", "detail"});
    if (progress_) progress_(0, total_);
  }

  void OnBars(std::span<const Bar> bars) override {
    for (const Bar& b : bars) {
      if (intraday_) {
        bars_csv_.DateAndTime(b.time);
      } else {
        bars_csv_.Time(b.time, false);
      }
      bars_csv_.Fixed(b.open, 2).Fixed(b.high, 2).Fixed(b.low, 2).Fixed(b.close, 2);
      bars_csv_.Number(b.volume).End();
    }
    written_ += bars.size();
    if (bars_block_.size() >= kBlock) {
      bars_file_.Write(bars_block_);
      bars_block_.clear();
      if (progress_) progress_(written_, total_);
    }
  }

  void OnLabels(std::span<const fixtures::ScenarioLabel> labels) override {
    for (const fixtures::ScenarioLabel& l : labels) {
      ++(fixtures::IsDecoy(l.type) ? decoys_ : labels_);
      if (labels_file_ == nullptr) continue;
      labels_csv_.Text(fixtures::LabelTypeName(l.type)).Time(l.pattern_time, intraday_);
      labels_csv_.Time(l.end_time, intraday_);
      labels_csv_.Number(static_cast<std::int64_t>(l.pattern_index));
      labels_csv_.Number(static_cast<std::int64_t>(l.end_index));
      labels_csv_.Number(static_cast<std::int64_t>(l.structure))
          .Raw(l.level.ToString(2))
          .Text(l.detail);
      labels_csv_.End();
    }
    if (labels_file_ != nullptr && labels_block_.size() >= kBlock) {
      labels_file_->Write(labels_block_);
      labels_block_.clear();
    }
  }

  // Writes what is left in the blocks.
  void Finish() {
    bars_file_.Write(bars_block_);
    if (labels_file_ != nullptr) labels_file_->Write(labels_block_);
    if (progress_) progress_(written_, total_);
  }

  std::size_t labels() const { return labels_; }
  std::size_t decoys() const { return decoys_; }

 private:
  static constexpr std::size_t kBlock = 1 << 20;
  report::OutputFile& bars_file_;
  report::OutputFile* labels_file_;
  bool intraday_;
  std::size_t total_;
  const std::function<void(std::size_t, std::size_t)>& progress_;
  std::string bars_block_;
  std::string labels_block_;
  report::CsvWriter bars_csv_;
  report::CsvWriter labels_csv_;
  std::size_t written_ = 0;
  std::size_t labels_ = 0;
  std::size_t decoys_ = 0;
};

}  // namespace

Result<GenerateOutcome> RunGenerate(const GenerateRequest& r) {
  if (!r.labels.empty() && r.labels == r.out) {
    return Fail(ErrorCode::kInvalidArgument, "the labels and the bars name the same file");
  }
  if (auto ok = fixtures::CheckScenarioOptions(r.options); !ok) return tl::unexpected(ok.error());
  // Both files are written and closed before either is renamed into place: on an error both
  // temporary files are removed and nothing appears.
  auto bars = report::OutputFile::Create(r.out);
  if (!bars) return tl::unexpected(bars.error());
  std::optional<report::OutputFile> labels;
  if (!r.labels.empty()) {
    auto file = report::OutputFile::Create(r.labels);
    if (!file) return tl::unexpected(file.error());
    labels.emplace(std::move(*file));
  }
  CsvScenarioSink sink(*bars, labels ? &*labels : nullptr,
                       fixtures::IsIntradayScenario(r.options.bars), r.options.bars, r.progress);
  auto scenario = fixtures::GenerateScenario(r.options, sink);
  if (!scenario) return tl::unexpected(scenario.error());
  sink.Finish();
  if (auto ok = bars->Close(); !ok) return tl::unexpected(ok.error());
  if (labels) {
    if (auto ok = labels->Close(); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = bars->Commit(); !ok) return tl::unexpected(ok.error());
  if (labels) {
    if (auto ok = labels->Commit(); !ok) return tl::unexpected(ok.error());
  }
  GenerateOutcome out;
  out.bars = scenario->bars;
  out.structures = scenario->structures;
  out.labels = sink.labels();
  out.decoys = sink.decoys();
  return out;
}

}  // namespace wyckoff::app
