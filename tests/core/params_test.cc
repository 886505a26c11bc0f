#include "wyckoff/core/params.h"

#include <gtest/gtest.h>

namespace wyckoff {
namespace {

Result<void> LowBelowHigh(const ParamValues& v) {
  if (v.Integer(0) < v.Integer(1)) return {};
  return Fail(ErrorCode::kInvalidArgument, "low must be below high");
}

const ParamSchema& Schema() {
  static const ParamSchema schema("demo",
                                  {IntegerParam("low", 1, 100, 5, "the low window"),
                                   IntegerParam("high", 2, 100, 20, "the high window"),
                                   NumberParam("ratio", 0, 1, 0.7, "a fraction", true, true),
                                   BooleanParam("strict", true, "strict mode"),
                                   ChoiceParam("mode", {"pivot", "atr"}, 0, "how")},
                                  &LowBelowHigh);
  return schema;
}

TEST(ParamSchemaTest, ParsesEachKindWithinItsDomain) {
  EXPECT_EQ(*Schema().Parse(0, "7"), 7);
  EXPECT_EQ(*Schema().Parse(2, "0.25"), 0.25);
  EXPECT_EQ(*Schema().Parse(3, "off"), 0);
  EXPECT_EQ(*Schema().Parse(3, "yes"), 1);
  EXPECT_EQ(*Schema().Parse(4, "atr"), 1);
  EXPECT_EQ(Schema().Parse(0, "0").error().message,
            "parameter low: \"0\" is not an integer from 1 to 100");
  EXPECT_EQ(Schema().Parse(0, "2.5").error().message,
            "parameter low: \"2.5\" is not an integer from 1 to 100");
  EXPECT_EQ(Schema().Parse(2, "1").error().message,
            "parameter ratio: \"1\" is not a number above 0 and below 1");
  EXPECT_EQ(Schema().Parse(2, "nan").error().message,
            "parameter ratio: \"nan\" is not a number above 0 and below 1");
  EXPECT_EQ(Schema().Parse(3, "maybe").error().message,
            "parameter strict: \"maybe\" is not true or false");
  EXPECT_EQ(Schema().Parse(4, "box").error().message,
            "parameter mode: \"box\" is not one of pivot, atr");
}

TEST(ParamSchemaTest, ValuesFormatBackToTextThatParses) {
  const ParamValues defaults = Schema().Defaults();
  EXPECT_EQ(
      defaults.List(),
      (std::vector<std::pair<std::string, std::string>>{
          {"low", "5"}, {"high", "20"}, {"ratio", "0.7"}, {"strict", "true"}, {"mode", "pivot"}}));
  for (std::size_t i = 0; i < Schema().size(); ++i) {
    EXPECT_EQ(*Schema().Parse(i, Schema().Format(i, defaults[i])), defaults[i]);
  }
}

TEST(ParamSchemaTest, UnknownNamesListTheKnownOnes) {
  EXPECT_EQ(Schema().Require("lo").error().message,
            "unknown parameter \"lo\" for strategy demo (known: low, high, ratio, strict, mode)");
  EXPECT_EQ(*Schema().Require("mode"), 4u);
}

TEST(ParamSchemaTest, SettingsApplyInOrderAndRulesAreChecked) {
  ParamValues values = Schema().Defaults();
  const std::vector<std::string> settings = {"low=30", "high=40", "mode=atr"};
  ASSERT_TRUE(ApplySettings(values, settings));
  EXPECT_EQ(values.Integer(0), 30);
  EXPECT_EQ(values.Choice(4), 1u);
  EXPECT_TRUE(Schema().Check(values));
  ASSERT_TRUE(values.Set("high", "30"));
  EXPECT_EQ(Schema().Check(values).error().message, "low must be below high");
  const std::vector<std::string> bad = {"low"};
  EXPECT_EQ(ApplySettings(values, bad).error().message,
            "parameter setting \"low\" is not of the form name=value");
  const std::vector<std::string> empty_name = {"=3"};
  EXPECT_FALSE(SplitSettings(empty_name).has_value());
  EXPECT_EQ(*SplitSettings(settings), (std::vector<std::pair<std::string, std::string>>{
                                          {"low", "30"}, {"high", "40"}, {"mode", "atr"}}));
}

TEST(ParamSchemaTest, TheDocsTableComesFromTheSchema) {
  EXPECT_EQ(ParamTableMarkdown(Schema()),
            "| parameter | values | default | meaning |\n"
            "| --- | --- | --- | --- |\n"
            "| `low` | an integer from 1 to 100 | `5` | the low window |\n"
            "| `high` | an integer from 2 to 100 | `20` | the high window |\n"
            "| `ratio` | a number above 0 and below 1 | `0.7` | a fraction |\n"
            "| `strict` | true or false | `true` | strict mode |\n"
            "| `mode` | one of pivot, atr | `pivot` | how |\n");
}

}  // namespace
}  // namespace wyckoff
