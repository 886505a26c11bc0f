#include "wyckoff/report/output_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace wyckoff::report {
namespace {

namespace fs = std::filesystem;

fs::path Fresh(const std::string& name) {
  auto dir = fs::temp_directory_path() / "wyckoff-output-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OutputFileTest, AppearsOnlyWhenCommitted) {
  const fs::path dir = Fresh("commit");
  auto file = OutputFile::Create((dir / "a.csv").string());
  ASSERT_TRUE(file.has_value()) << file.error().message;
  file->Write("x,y\n");
  file->Write(std::string(200'000, 'z'));  // more than the buffer: written as it is
  file->Write("end\n");
  EXPECT_TRUE(fs::exists(dir / "a.csv.tmp"));
  EXPECT_FALSE(fs::exists(dir / "a.csv"));
  ASSERT_TRUE(file->Commit());
  EXPECT_FALSE(fs::exists(dir / "a.csv.tmp"));
  EXPECT_EQ(Slurp(dir / "a.csv"), "x,y\n" + std::string(200'000, 'z') + "end\n");
}

TEST(OutputFileTest, DestroyedBeforeCommitLeavesNothing) {
  const fs::path dir = Fresh("abandon");
  {
    auto file = OutputFile::Create((dir / "a.csv").string());
    ASSERT_TRUE(file.has_value());
    file->Write("partial");
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(OutputFileTest, AFullDeviceIsAnErrorWithTheReasonAndStaysADevice) {
  auto file = OutputFile::Create("/dev/full");
  ASSERT_TRUE(file.has_value()) << file.error().message;
  file->Write("bars\n");
  auto closed = file->Commit();
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().message, "/dev/full: cannot write: No space left on device");
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
  EXPECT_FALSE(fs::exists("/dev/full.tmp"));
}

TEST(OutputFileTest, AllOrNothingRemovesEveryTemporaryFileOnAnError) {
  const fs::path dir = Fresh("all-or-nothing");
  fs::create_directories(dir / "b.csv.tmp");  // the second file cannot be created
  auto ok =
      WriteAllOrNothing({{(dir / "a.csv").string(), "a\n"}, {(dir / "b.csv").string(), "b\n"}});
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().message, (dir / "b.csv").string() + ": cannot write: Is a directory");
  EXPECT_FALSE(fs::exists(dir / "a.csv"));
  EXPECT_FALSE(fs::exists(dir / "a.csv.tmp"));
  EXPECT_FALSE(fs::exists(dir / "b.csv"));
}

TEST(OutputFileTest, AFolderIsNotAFile) {
  const fs::path dir = Fresh("folder");
  auto file = OutputFile::Create(dir.string());
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().message, dir.string() + ": cannot write: it is a folder");
}

}  // namespace
}  // namespace wyckoff::report
