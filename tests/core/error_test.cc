#include "wyckoff/core/error.h"

#include <gtest/gtest.h>

namespace wyckoff {
namespace {

TEST(ErrorTest, EscapeControlKeepsOneLinePrintable) {
  using namespace std::string_literals;
  EXPECT_EQ(EscapeControl("a\tb\r\nc\0d\x1b\x7f"s), "a\\tb\\r\\nc\\0d\\x1b\\x7f");
  EXPECT_EQ(EscapeControl("plain, \"quoted\" \xc3\xa9"), "plain, \"quoted\" \xc3\xa9");
}

TEST(ErrorTest, QuotedCutsRunawayText) {
  EXPECT_EQ(Quoted("abc"), "\"abc\"");
  EXPECT_EQ(Quoted(std::string(41, 'x')), "\"" + std::string(40, 'x') + "...\"");
  EXPECT_EQ(Quoted(std::string(40, 'x')), "\"" + std::string(40, 'x') + "\"");
}

}  // namespace
}  // namespace wyckoff
