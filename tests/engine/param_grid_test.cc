#include "wyckoff/engine/param_grid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>

namespace wyckoff::engine {
namespace {

using Values = std::vector<std::string>;

Values ValuesOf(std::string_view spec) {
  auto dim = ParseGridSpec(spec);
  EXPECT_TRUE(dim.has_value()) << (dim ? "" : dim.error().message);
  return dim ? dim->values : Values{};
}

std::string ErrorOf(std::string_view spec) {
  auto dim = ParseGridSpec(spec);
  EXPECT_FALSE(dim.has_value()) << spec;
  return dim ? "" : dim.error().message;
}

TEST(ParamGridTest, DecimalRangeIncludesTheStopExactly) {
  auto dim = ParseGridSpec("spring_max_volume_ratio=0.5:0.8:0.1");
  ASSERT_TRUE(dim.has_value());
  EXPECT_EQ(dim->name, "spring_max_volume_ratio");
  EXPECT_EQ(dim->values, (Values{"0.5", "0.6", "0.7", "0.8"}));
  EXPECT_EQ(ValuesOf("min_reward_risk=1.5:3:0.5"), (Values{"1.5", "2", "2.5", "3"}));
}

TEST(ParamGridTest, RangeStopsBeforeAStopItDoesNotLandOn) {
  EXPECT_EQ(ValuesOf("x=1:10:4"), (Values{"1", "5", "9"}));
  EXPECT_EQ(ValuesOf("x=-2:-1:1"), (Values{"-2", "-1"}));
  EXPECT_EQ(ValuesOf("x=3:3:1"), (Values{"3"}));
}

TEST(ParamGridTest, ListsAndSingleValuesStayText) {
  EXPECT_EQ(ValuesOf("mode=fast,slow,1.50"), (Values{"fast", "slow", "1.50"}));
  EXPECT_EQ(ValuesOf("x=7"), (Values{"7"}));
}

TEST(ParamGridTest, BadSpecsNameTheSpecAndTheProblem) {
  EXPECT_EQ(ErrorOf("fast"),
            "--grid \"fast\": not of the form name=start:stop:step, name=a,b,c or name=value");
  EXPECT_EQ(ErrorOf("=1,2"),
            "--grid \"=1,2\": not of the form name=start:stop:step, name=a,b,c or name=value");
  EXPECT_EQ(ErrorOf("fast="), "--grid \"fast=\": no values after '='");
  EXPECT_EQ(ErrorOf("fast=1:x:1"), "--grid \"fast=1:x:1\": stop \"x\" is not a number");
  EXPECT_EQ(ErrorOf("fast=1:5"), "--grid \"fast=1:5\": a range is start:stop:step");
  EXPECT_EQ(ErrorOf("fast=1:5:0"), "--grid \"fast=1:5:0\": step 0 must be above 0");
  EXPECT_EQ(ErrorOf("fast=1:5:-1"), "--grid \"fast=1:5:-1\": step -1 must be above 0");
  EXPECT_EQ(ErrorOf("fast=9:5:1"), "--grid \"fast=9:5:1\": start 9 is above stop 5");
  EXPECT_EQ(ErrorOf("fast=1,,2"), "--grid \"fast=1,,2\": an empty value in the list");
  EXPECT_EQ(ErrorOf("fast=1,2,1"), "--grid \"fast=1,2,1\": value 1 is listed twice");
  EXPECT_EQ(ErrorOf("fast=0:1:0.000001"), "--grid \"fast=0:1:0.000001\": more than 100000 values");
}

TEST(ParamGridTest, CombinationsFollowNestedLoopsFirstDimensionOutermost) {
  auto grid =
      ParamGrid::Create({{"quantity", "5"}}, {{"fast", {"5", "10"}}, {"slow", {"20", "30", "40"}}});
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->size(), 6u);
  EXPECT_EQ(grid->Combination(0), (ParamList{{"quantity", "5"}, {"fast", "5"}, {"slow", "20"}}));
  EXPECT_EQ(grid->Combination(1), (ParamList{{"quantity", "5"}, {"fast", "5"}, {"slow", "30"}}));
  EXPECT_EQ(grid->Combination(3), (ParamList{{"quantity", "5"}, {"fast", "10"}, {"slow", "20"}}));
  EXPECT_EQ(grid->Describe(5), "fast=10 slow=40");
}

TEST(ParamGridTest, NoDimensionsIsOneCombinationOfTheFixedParameters) {
  auto grid = ParamGrid::Create({{"fast", "3"}}, {});
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->size(), 1u);
  EXPECT_EQ(grid->Combination(0), (ParamList{{"fast", "3"}}));
}

TEST(ParamGridTest, AParameterNamedTwiceIsAnError) {
  auto twice = ParamGrid::Create({}, {{"fast", {"1"}}, {"fast", {"2"}}});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().message, "parameter \"fast\" is searched twice (two --grid options)");
  auto both = ParamGrid::Create({{"fast", "3"}}, {{"fast", {"1", "2"}}});
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().message,
            "parameter \"fast\" is both fixed (--param fast=3) and searched (--grid)");
}

TEST(ParamGridTest, HugeGridsSaturateTheirSize) {
  std::vector<ParamDimension> dims;
  for (int d = 0; d < 8; ++d) {
    ParamDimension dim{"p" + std::to_string(d), {}};
    for (int v = 0; v < 1000; ++v) dim.values.push_back(std::to_string(v));
    dims.push_back(dim);
  }
  auto grid = ParamGrid::Create({}, dims);
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->size(), std::numeric_limits<std::uint64_t>::max());
}

TEST(SampleCombinationsTest, DrawsDistinctSortedIndicesReproducibly) {
  const auto a = SampleCombinations(1000, 50, 7);
  const auto b = SampleCombinations(1000, 50, 7);
  const auto c = SampleCombinations(1000, 50, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  ASSERT_EQ(a.size(), 50u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<std::uint64_t>(a.begin(), a.end()).size(), 50u);
  EXPECT_LT(a.back(), 1000u);
}

TEST(SampleCombinationsTest, ZeroOrTooManySamplesMeanTheWholeGrid) {
  EXPECT_EQ(SampleCombinations(4, 0, 1), (std::vector<std::uint64_t>{0, 1, 2, 3}));
  EXPECT_EQ(SampleCombinations(4, 9, 1), (std::vector<std::uint64_t>{0, 1, 2, 3}));
}

TEST(SampleCombinationsTest, SamplesFromGridsTooLargeToList) {
  const auto s = SampleCombinations(std::numeric_limits<std::uint64_t>::max(), 3, 1);
  EXPECT_EQ(s.size(), 3u);
}

}  // namespace
}  // namespace wyckoff::engine
