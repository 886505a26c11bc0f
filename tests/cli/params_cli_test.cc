// `wyckoff params`, and docs/parameters.md kept equal to the schemas it prints.
#include <gtest/gtest.h>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

using testing::Outcome;

TEST(ParamsCliTest, ListsEveryParameterOfTheStrategy) {
  Outcome r = testing::RunWyckoff("params --strategy sma-cross");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "parameter  values                       default  meaning\n"
            "fast       an integer from 1 to 100000  10       bars in the fast simple moving "
            "average of the close\n"
            "slow       an integer from 2 to 100000  30       bars in the slow simple moving "
            "average of the close\n");
  Outcome unknown = testing::RunWyckoff("params --strategy nope");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "error: unknown strategy \"nope\" (known: sma-cross, wyckoff)\n");
}

// Regenerate with scripts/docs-params.sh.
TEST(ParamsCliTest, TheDocsTablesAreTheSchemas) {
  const std::string docs = testing::Slurp(WYCKOFF_SOURCE_DIR "/docs/parameters.md");
  for (const char* strategy : {"sma-cross", "wyckoff"}) {
    Outcome r = testing::RunWyckoff(std::string("params --markdown --strategy ") + strategy);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(docs.find("\n## " + std::string(strategy) + "\n\n" + r.out), std::string::npos)
        << strategy << ": docs/parameters.md differs from the schema; run scripts/docs-params.sh";
  }
}

}  // namespace
}  // namespace wyckoff::cli
