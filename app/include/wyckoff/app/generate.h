// `generate` as a function: synthetic bars with planted, labelled Wyckoff structures, written
// as CSV files that backtest and detect read.
//
//   Result<GenerateOutcome> made = RunGenerate({.options = {.kind = kind, .bars = 5000},
//                                               .out = "synth.csv", .labels = "labels.csv"});
#pragma once

#include <string>

#include "wyckoff/fixtures/scenario.h"

namespace wyckoff::app {

struct GenerateRequest {
  fixtures::ScenarioOptions options;
  std::string out;     // the bars' CSV file
  std::string labels;  // the labels' CSV file; none when empty
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
