// `wyckoff detect --json` against its own events.csv and ranges.csv, the climaxes' levels, and
// --data folders and patterns (shared by every command that reads bars).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using testing::Outcome;
using testing::RunWyckoff;
using testing::Slurp;

constexpr const char* kOrcl = "data/daily/orcl-1995-2014.csv";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

TEST(DetectCliTest, JsonHoldsTheEventsAndRangesOfTheCsvFiles) {
  const fs::path dir = testing::FreshDir("detect-cli", "json");
  const Outcome r =
      RunWyckoff(std::string("detect --json --data ") + kOrcl + " --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json json = Json::parse(r.out);
  const auto events = Lines(Slurp(dir / "events.csv"));
  const auto ranges = Lines(Slurp(dir / "ranges.csv"));
  EXPECT_EQ(json["symbols"].dump(), R"(["orcl-1995-2014"])");
  EXPECT_EQ(json["bars"], 5036);
  ASSERT_EQ(json["events"].size(), events.size() - 1);
  ASSERT_EQ(json["ranges"].size(), ranges.size() - 1);
  EXPECT_EQ(json["notes"].dump(), "[]");
  // The README's 2007 LPS, field by field as events.csv has it.
  Json lps;
  for (const Json& e : json["events"]) {
    if (e["type"] == "LPS") lps = e;
  }
  EXPECT_EQ(lps["confirm_time"], "2007-03-22");
  EXPECT_EQ(lps["entry"], 18.052176);  // events.csv: 6 decimals
  EXPECT_EQ(lps["tradeable"], true);
  EXPECT_EQ(lps["not_tradeable"], "");
  EXPECT_EQ(lps["reason"], "");
  EXPECT_EQ(lps["signal"], "LONG");
  // Refused signals say why in a trader's words (the code stays in not_tradeable).
  std::vector<std::string> reasons;
  for (const Json& e : json["events"]) {
    if (e["type"] == "SPRING" || e["type"] == "UTAD") {
      reasons.push_back(e["confirm_time"].get<std::string>() + " " + e["type"].get<std::string>() +
                        " " + e["not_tradeable"].get<std::string>() + ": " +
                        e["reason"].get<std::string>());
    }
  }
  ASSERT_GE(reasons.size(), 5u);
  EXPECT_EQ(reasons[0],
            "1997-10-14 SPRING phase: distribution range (springs count in accumulation ranges)");
  EXPECT_NE(std::find(reasons.begin(), reasons.end(),
                      "2006-12-05 UTAD phase: phase B too young (4 of 10 bars)"),
            reasons.end())
      << ::testing::PrintToString(reasons);
  // Every selling or buying climax names its level, the extreme its secondary test retests.
  int climaxes = 0;
  for (const Json& e : json["events"]) {
    if (e["type"] != "SC" && e["type"] != "BC") continue;
    ++climaxes;
    ASSERT_TRUE(e["level"].is_number()) << e.dump();
    EXPECT_NEAR(e["level"].get<double>(), e["extreme"].get<double>(), 1e-4) << e.dump();
  }
  EXPECT_EQ(climaxes, 18);
  // The table prints no "nan": events without a level show "-".
  const Outcome table = RunWyckoff(std::string("detect --data ") + kOrcl);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.find("nan"), std::string::npos);
}

TEST(DetectCliTest, DataTakesFoldersAndPatterns) {
  const Outcome folder = RunWyckoff("study --json --resamples 0 --horizons 5 --data data/daily");
  ASSERT_EQ(folder.exit_code, 0) << folder.err;
  EXPECT_EQ(Json::parse(folder.out)["files"].dump(),
            R"(["ko-1997-1998","orcl-1995-2014","pep-1997-1998","yhoo-1996-2015"])");
  const Outcome pattern =
      RunWyckoff("detect --json --data 'data/daily/*-1997-1998.csv' --symbol KO --symbol PEP");
  ASSERT_EQ(pattern.exit_code, 0) << pattern.err;
  EXPECT_EQ(Json::parse(pattern.out)["symbols"].dump(), R"(["KO","PEP"])");
  struct Case {
    const char* data;
    const char* error;
  } cases[] = {
      {"'data/none/*.csv'", "error: \"data/none/*.csv\" matches no file\n"},
      {"docs", "error: folder \"docs\" holds no .csv file\n"},
      {"data/daily --symbol ORCL", "error: --symbol was given 1 times for 4 --data files\n"},
  };
  for (const Case& c : cases) {
    const Outcome r = RunWyckoff(std::string("detect --data ") + c.data);
    EXPECT_EQ(r.exit_code, 2) << c.data;
    EXPECT_EQ(r.err, c.error) << c.data;
  }
}

}  // namespace
}  // namespace wyckoff::cli
