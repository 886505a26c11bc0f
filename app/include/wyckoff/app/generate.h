// `generate` as a function: synthetic bars with planted, labelled Wyckoff structures, written
// as CSV files that backtest and detect read.
//
//   Result<GenerateOutcome> made = RunGenerate({.options = {.kind = kind, .bars = 5000},
//                                               .out = "synth.csv", .labels = "labels.csv"});
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "wyckoff/fixtures/scenario.h"

namespace wyckoff::app {

struct GenerateRequest {
  fixtures::ScenarioOptions options;
  std::string out;     // the bars' CSV file
  std::string labels;  // the labels' CSV file; none when empty
  // When set: bars written so far of the total, at the start and after every block of about
  // 1 MiB written (a progress bar's feed). The bars are made as they are written: memory stays
  // flat whatever the number of bars.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct GenerateOutcome {
  std::size_t bars = 0;
  int structures = 0;
  std::size_t labels = 0;  // planted patterns, decoys not counted
  std::size_t decoys = 0;
};

// Errors: the scenario's (too few or too many bars); the same file for bars and labels; a file
// that cannot be written (kIo, the OS's reason; neither file appears).
Result<GenerateOutcome> RunGenerate(const GenerateRequest& request);

}  // namespace wyckoff::app
