// Runs the real `thor` binary (found through TestBinary: $THOR_BIN, the path
// CMake compiled in, or Bazel's runfiles).
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "common/build_info.h"
#include "tests/testing/paths.h"

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

namespace {

const std::string g_thor = thor::testing::TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT);

struct ThorRun {
  int code;
  std::string output;
};

ThorRun RunThor(const std::string& args) {
  if (g_thor.empty()) return {-1, "no thor binary: build //app:thor, or set THOR_BIN"};
  std::string cmd = g_thor + " " + args + " 2>&1";
  FILE* f = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  int status = pclose(f);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(CliTest, TopLevelHelpListsEverySubcommand) {
  ThorRun r = RunThor("--help");
  EXPECT_EQ(r.code, 0) << r.output;
  for (const char* sub : {"serve", "prove", "suggest", "hammer", "check", "eval", "extract"}) {
    EXPECT_NE(r.output.find(std::string("  ") + sub), std::string::npos) << sub;
  }
}

TEST(CliTest, EachSubcommandHasHelp) {
  for (const char* sub : {"serve", "prove", "suggest", "hammer", "check", "eval", "extract"}) {
    ThorRun r = RunThor(std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub << ": " << r.output;
    EXPECT_NE(r.output.find(std::string("usage: thor ") + sub), std::string::npos) << r.output;
  }
}

// The build (git describe and commit, as the build recorded them) and the
// API's version; the started event of a Prove stream carries the same.
TEST(CliTest, VersionPrintsTheBuildAndTheProtocol) {
  ThorRun r = RunThor("--version");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output, "thor " + thor::ThorVersion() + "\ncommit " + thor::ThorCommit() +
                          "\nprotocol thor.v1\n");
  EXPECT_NE(thor::ThorVersion(), "");
}

TEST(CliTest, UnknownSubcommandFails) {
  ThorRun r = RunThor("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("unknown subcommand 'frobnicate'"), std::string::npos) << r.output;
}

TEST(CliTest, UnknownFlagFails) {
  ThorRun r = RunThor("serve --no-such-flag=1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("unknown flag '--no-such-flag'"), std::string::npos) << r.output;
}

TEST(CliTest, NoArgumentsPrintsUsage) {
  ThorRun r = RunThor("");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("usage: thor <subcommand>"), std::string::npos) << r.output;
}

}  // namespace
