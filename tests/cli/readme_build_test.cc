// The thor the README tells users to build is optimised: every `bazel build`
// of //app:thor in README.md uses --config=opt, and .bazelrc defines that
// config as compilation_mode=opt (the default fastbuild is -O0, ~10x slower
// per search node). Tests keep the default.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "tests/testing/paths.h"

namespace thor {
namespace {

std::string Read(const std::string& name) {
  std::ifstream in(testing::SourceDir() + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ReadmeBuildTest, EveryDocumentedBuildOfThorIsOptimised) {
  const std::string readme = Read("README.md");
  ASSERT_FALSE(readme.empty()) << "README.md not found";
  int builds = 0;
  for (absl::string_view line : absl::StrSplit(readme, '\n')) {
    if (!absl::StrContains(line, "bazel build") || !absl::StrContains(line, "//app:thor")) continue;
    ++builds;
    EXPECT_TRUE(absl::StrContains(line, "--config=opt")) << "unoptimised build in README: " << line;
  }
  EXPECT_GE(builds, 2) << "the README's quick starts build thor";
}

TEST(ReadmeBuildTest, BazelrcDefinesTheOptConfig) {
  const std::string bazelrc = Read(".bazelrc");
  ASSERT_FALSE(bazelrc.empty()) << ".bazelrc not found";
  EXPECT_TRUE(absl::StrContains(bazelrc, "build:opt --compilation_mode=opt")) << bazelrc;
}

}  // namespace
}  // namespace thor
