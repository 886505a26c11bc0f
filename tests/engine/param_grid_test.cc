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
  auto dim = ParseGridSpec("spring_volume_max=0.5:0.8:0.1");
  ASSERT_TRUE(dim.has_value());
  EXPECT_EQ(dim->name, "spring_volume_max");
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
            "grid \"fast\": not of the form name=start:stop:step, name=a,b,c or name=value");
  EXPECT_EQ(ErrorOf("=1,2"),
            "grid \"=1,2\": not of the form name=start:stop:step, name=a,b,c or name=value");
  EXPECT_EQ(ErrorOf("fast="), "grid \"fast=\": no values after '='");
  EXPECT_EQ(ErrorOf("fast=1:x:1"), "grid \"fast=1:x:1\": stop \"x\" is not a number");
  EXPECT_EQ(ErrorOf("fast=1:5"), "grid \"fast=1:5\": a range is start:stop:step");
  EXPECT_EQ(ErrorOf("fast=1:5:0"), "grid \"fast=1:5:0\": step 0 must be above 0");
  EXPECT_EQ(ErrorOf("fast=1:5:-1"), "grid \"fast=1:5:-1\": step -1 must be above 0");
  EXPECT_EQ(ErrorOf("fast=9:5:1"), "grid \"fast=9:5:1\": start 9 is above stop 5");
  EXPECT_EQ(ErrorOf("fast=1,,2"), "grid \"fast=1,,2\": an empty value in the list");
  EXPECT_EQ(ErrorOf("fast=1,2,1"), "grid \"fast=1,2,1\": value 1 is listed twice");
  EXPECT_EQ(ErrorOf("fast=0:1:0.000001"), "grid \"fast=0:1:0.000001\": more than 100000 values");
}

// quantity, fast, slow (integers) and p0..p7 (0..1000) for the size test.
const ParamSchema& TestSchema() {
  static const ParamSchema schema = [] {
    std::vector<ParamSpec> specs = {IntegerParam("quantity", 1, 1000, 1),
                                    IntegerParam("fast", 1, 1000, 10),
                                    IntegerParam("slow", 1, 1000, 30)};
    for (int d = 0; d < 8; ++d) specs.push_back(IntegerParam("p" + std::to_string(d), 0, 1000, 0));
    return ParamSchema("test", std::move(specs));
  }();
  return schema;
}

TEST(ParamGridTest, CombinationsFollowNestedLoopsFirstDimensionOutermost) {
  auto grid = ParamGrid::Create(TestSchema(), {{"quantity", "5"}},
                                {{"fast", {"5", "10"}}, {"slow", {"20", "30", "40"}}});
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->size(), 6u);
  auto values = [&](std::uint64_t i) {
    const ParamValues v = grid->Combination(i);
    return std::vector<double>{v[0], v[1], v[2]};
  };
  EXPECT_EQ(values(0), (std::vector<double>{5, 5, 20}));
  EXPECT_EQ(values(1), (std::vector<double>{5, 5, 30}));
  EXPECT_EQ(values(3), (std::vector<double>{5, 10, 20}));
  EXPECT_EQ(grid->Given(3), (ParamList{{"quantity", "5"}, {"fast", "10"}, {"slow", "20"}}));
  EXPECT_EQ(grid->Describe(5), "fast=10 slow=40");
}

TEST(ParamGridTest, NoDimensionsIsOneCombinationOfTheFixedParameters) {
  auto grid = ParamGrid::Create(TestSchema(), {{"fast", "3"}}, {});
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->size(), 1u);
  EXPECT_EQ(grid->Combination(0)[1], 3);
  EXPECT_EQ(grid->Combination(0)[2], 30);  // the default
  EXPECT_EQ(grid->Given(0), (ParamList{{"fast", "3"}}));
}

TEST(ParamGridTest, ValuesAreParsedOnceWhenTheGridIsMade) {
  auto bad = ParamGrid::Create(TestSchema(), {}, {{"fast", {"5", "2.5"}}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "parameter fast: \"2.5\" is not an integer from 1 to 1000");
  auto unknown = ParamGrid::Create(TestSchema(), {{"speed", "3"}}, {});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message,
            "unknown parameter \"speed\" for strategy test (did you mean slow? 11 parameters are "
            "known)");
}

TEST(ParamGridTest, AParameterNamedTwiceIsAnError) {
  auto twice = ParamGrid::Create(TestSchema(), {}, {{"fast", {"1"}}, {"fast", {"2"}}});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().message, "parameter \"fast\" is searched twice");
  auto both = ParamGrid::Create(TestSchema(), {{"fast", "3"}}, {{"fast", {"1", "2"}}});
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().message, "parameter \"fast\" is both fixed (fast=3) and searched");
}

TEST(ParamGridTest, HugeGridsSaturateTheirSize) {
  std::vector<ParamDimension> dims;
  for (int d = 0; d < 8; ++d) {
    ParamDimension dim{"p" + std::to_string(d), {}};
    for (int v = 0; v < 1000; ++v) dim.values.push_back(std::to_string(v));
    dims.push_back(dim);
  }
  auto grid = ParamGrid::Create(TestSchema(), {}, dims);
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
