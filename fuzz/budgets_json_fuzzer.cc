// Fuzz target budgets_json: benchmarks/budgets.json's parser (budgets.h) on arbitrary text,
// and the ratchet's rewrite (ratchet.h) of what it accepts.
//
// Properties: no crash, no sanitizer report; the rewrite of an accepted file parses again to
// the same budgets.
#include <cstddef>
#include <cstdint>
#include <string>

#include "memory_file.h"
#include "wyckoff/gate/budgets.h"
#include "wyckoff/gate/ratchet.h"

namespace {

namespace gate = wyckoff::gate;
using wyckoff::fuzz::PropertyFailed;

bool SameLevels(const gate::Budget& a, const gate::Budget& b) {
  return a.benchmark == b.benchmark && a.pattern == b.pattern && a.metric == b.metric &&
         a.floor == b.floor && a.target == b.target && a.regression_floor == b.regression_floor &&
         a.needs_database == b.needs_database;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto file = gate::ParseBudgets(text, "fuzz.json");
  if (!file) {
    if (file.error().message.empty()) PropertyFailed("parse failed without a message");
    return 0;
  }
  const gate::RatchetPlan plan{.rows = {}, .regression = {"fuzz", 0.2}, .settings_changed = true};
  auto rewritten = gate::ApplyRatchet(text, "fuzz.json", plan);
  if (!rewritten)
    PropertyFailed("an accepted file cannot be rewritten: " + rewritten.error().message);
  auto again = gate::ParseBudgets(*rewritten, "rewritten.json");
  if (!again) PropertyFailed("the rewrite does not parse: " + again.error().message);
  if (again->budgets.size() != file->budgets.size()) PropertyFailed("the rewrite lost budgets");
  for (std::size_t i = 0; i < file->budgets.size(); ++i) {
    if (!SameLevels(file->budgets[i], again->budgets[i])) {
      PropertyFailed("the rewrite changed budgets[" + std::to_string(i) + "]");
    }
  }
  return 0;
}
