// The cvc4 shim on every coqtop's PATH: CoqHammer passes cvc4 its ATP limit
// in seconds as `--tlimit N`, which cvc4 reads as milliseconds; the shim
// passes N * 1000 and nothing else changed. Needs /bin/sh; the last test
// needs coq and cvc4 (Debian).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "coq_bridge/coqtop.h"
#include "common/env.h"
#include "common/subprocess.h"
#include "gtest/gtest.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Cvc4ShimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = Env::Default()->MakeTempDir("thor-shim-test");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    // Stands in for cvc4: prints each argument it got on a line of its own.
    fake_ = dir_ + "/fake cvc4";
    ASSERT_TRUE(Env::Default()->WriteFile(fake_, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").ok());
    std::filesystem::permissions(fake_, std::filesystem::perms::owner_all);
    shim_ = dir_ + "/cvc4";
    ASSERT_TRUE(Env::Default()->WriteFile(shim_, Cvc4TimeLimitShim(fake_)).ok());
    std::filesystem::permissions(shim_, std::filesystem::perms::owner_all);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The arguments the fake cvc4 received when the shim ran with `args`.
  std::vector<std::string> Passed(const std::vector<std::string>& args) {
    SubprocessOptions options;
    options.argv = {shim_};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    absl::StatusOr<RunResult> r = RunSubprocess(options, "", absl::Seconds(10));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    EXPECT_EQ(r->exit_code, 0) << r->err;
    std::vector<std::string> lines = absl::StrSplit(r->out, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
  }

  std::string dir_, fake_, shim_;
};

TEST_F(Cvc4ShimTest, TheNumberAfterTlimitBecomesMilliseconds) {
  // CoqHammer's call (the file name has a space and a quote to keep).
  using V = std::vector<std::string>;
  EXPECT_EQ(Passed({"--tlimit", "168", "--dump-unsat-cores-full", "/tmp/a b/it's.p"}),
            (V{"--tlimit", "168000", "--dump-unsat-cores-full", "/tmp/a b/it's.p"}));
  EXPECT_EQ(Passed({"--tlimit", "2", "x.p"}), (V{"--tlimit", "2000", "x.p"}));
}

TEST_F(Cvc4ShimTest, EverythingElsePassesUnchanged) {
  using V = std::vector<std::string>;
  // CoqHammer's prover detection.
  EXPECT_EQ(Passed({"--version"}), (V{"--version"}));
  // Only the one argument after --tlimit, and only a whole number.
  EXPECT_EQ(Passed({"--tlimit", "1.5", "3"}), (V{"--tlimit", "1.5", "3"}));
  EXPECT_EQ(Passed({"--tlimit", "", "3"}), (V{"--tlimit", "", "3"}));
  EXPECT_EQ(Passed({"--tlimit=500", "7"}), (V{"--tlimit=500", "7"}));
  EXPECT_EQ(Passed({"7", "--tlimit"}), (V{"7", "--tlimit"}));
  EXPECT_EQ(Passed({"*", "$HOME", "-"}), (V{"*", "$HOME", "-"}));
}

// A coqtop Thor starts finds the shim first on its PATH, in its own folder,
// and the shim runs the installed cvc4.
TEST(Cvc4ShimCoqtopTest, EveryCoqtopRunsCvc4ThroughTheShim) {
  ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq").ok())
      << "coqtop is missing: apt-get install coq libcoq-hammer";
  const std::string cvc4 = FindProgram("cvc4");
  ASSERT_FALSE(cvc4.empty()) << "cvc4 is missing: apt-get install cvc4";
  {
    absl::StatusOr<std::unique_ptr<Coqtop>> coq =
        Coqtop::Start(CoqtopOptions(), absl::Now() + absl::Seconds(60));
    ASSERT_TRUE(coq.ok()) << coq.status();
    std::string environ = ReadAll(absl::StrCat("/proc/", (*coq)->pid(), "/environ"));
    std::string path;
    for (absl::string_view var : absl::StrSplit(environ, '\0')) {
      if (absl::ConsumePrefix(&var, "PATH=")) path = std::string(var);
    }
    std::vector<std::string> dirs = absl::StrSplit(path, ':');
    ASSERT_GE(dirs.size(), 2u) << path;
    EXPECT_EQ(ReadAll(dirs[0] + "/cvc4"), Cvc4TimeLimitShim(cvc4));
    EXPECT_EQ(dirs[1], "/usr/libexec/coq-hammer");
    // The shim runs the real cvc4.
    SubprocessOptions options;
    options.argv = {dirs[0] + "/cvc4", "--version"};
    absl::StatusOr<RunResult> r = RunSubprocess(options, "", absl::Seconds(20));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->exit_code, 0) << r->err;
    EXPECT_NE(r->out.find("CVC4"), std::string::npos) << r->out;
  }
  EXPECT_EQ(testing::LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::coq
