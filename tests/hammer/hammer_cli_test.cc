// `thor hammer PROBLEM.p` through the real `thor` binary and the real ATPs:
// the SZS line, the winning slice, the used premises by their input names,
// --json, and the documented exit codes (0 proved, 1 not proved, 2 usage,
// 4 bad input or missing file, 6 disproved).
//
// Finds the binary through TestBinary (tests/testing/paths.h): $THOR_BIN,
// else the path CMake compiled in, else Bazel's runfiles.
#include <algorithm>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

namespace thor::testing {
namespace {

std::string ThorBin() { return TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT); }

class HammerCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thor_ = ThorBin();
    ASSERT_FALSE(thor_.empty())
        << "the thor binary was not found: set THOR_BIN, or build it "
           "(bazel build //app:thor, or cmake --build build --target thor)";
    ASSERT_FALSE(SourceDir().empty()) << "set THOR_SOURCE_DIR to the source tree";
    for (const char* p : {"eprover", "cvc5"}) {
      ASSERT_FALSE(FindProgram(p).empty())
          << p << " is not installed: scripts/bootstrap (or apt-get install eprover cvc5)";
    }
  }

  std::string Data(const std::string& name) const {
    return SourceDir() + "/tests/hammer/data/" + name;
  }

  // Runs `thor hammer ARGS...` (killed after 60 s; the budgets are smaller).
  RunResult Hammer(const std::vector<std::string>& args) const {
    SubprocessOptions o;
    o.argv = {thor_, "hammer"};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    auto r = RunSubprocess(o, "", absl::Seconds(60));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return RunResult{};
    EXPECT_FALSE(r->timed_out) << "thor hammer overran its budget: " << r->out << r->err;
    return *r;
  }

  std::string thor_;
};

TEST_F(HammerCliTest, ProvedPrintsSzsSliceAndPremisesByOriginalNamesAndExitsZero) {
  RunResult r = Hammer({"--hammer_timeout=20", Data("p1_prov.p")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "% SZS status Theorem for p1_prov\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "% slice: ")) << r.out;
  // Minimised by default: exactly the two premises the proof needs, by the
  // names in the file (not the generated ax<i>).
  EXPECT_TRUE(absl::StrContains(r.out, "% used premises (2): ")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "a02_human_mortal")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "a07_socrates_human")) << r.out;
  EXPECT_FALSE(std::regex_search(r.out, std::regex("\\bax[0-9]+\\b"))) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "% time: ")) << r.out;
  EXPECT_EQ(LeftoverChildren(2000), "");
}

TEST_F(HammerCliTest, JsonOutputParses) {
  RunResult r = Hammer({"--json", "--hammer_timeout=20", "--provers=e", Data("p1_prov.p")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j.value("status", ""), "proved") << r.out;
  EXPECT_EQ(j.value("szs_status", ""), "Theorem") << r.out;
  EXPECT_TRUE(absl::StartsWith(j.value("slice", ""), "e/")) << r.out;
  ASSERT_TRUE(j["used_premises"].is_array()) << r.out;
  std::vector<std::string> used = j["used_premises"].get<std::vector<std::string>>();
  std::sort(used.begin(), used.end());
  EXPECT_EQ(used, (std::vector<std::string>{"a02_human_mortal", "a07_socrates_human"})) << r.out;
  ASSERT_TRUE(j["elapsed_s"].is_number()) << r.out;
  EXPECT_GT(j["elapsed_s"].get<double>(), 0);
  EXPECT_TRUE(j["overhead_s"].is_number()) << r.out;
}

TEST_F(HammerCliTest, NotProvedWithinBudgetExitsOne) {
  RunResult r = Hammer({"--hammer_timeout=2", Data("p4_hard.p")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "% SZS status ")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, " for p4_hard\n")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "Theorem")) << r.out;
  EXPECT_EQ(LeftoverChildren(2000), "");
}

TEST_F(HammerCliTest, DisprovedExitsSix) {
  RunResult r = Hammer({"--hammer_timeout=10", Data("p3_csat.p")});
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "% SZS status CounterSatisfiable for p3_csat\n")) << r.out;
}

TEST_F(HammerCliTest, MalformedFileExitsFourWithLineAndColumn) {
  RunResult r = Hammer({"--hammer_timeout=5", Data("bad_syntax.p")});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "bad_syntax.p:2:")) << r.err;
  EXPECT_FALSE(absl::StrContains(r.out, "SZS status Theorem")) << r.out;

  RunResult j = Hammer({"--json", "--hammer_timeout=5", Data("bad_syntax.p")});
  EXPECT_EQ(j.exit_code, 4) << j.out << j.err;
  nlohmann::json parsed = nlohmann::json::parse(j.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(parsed.is_object()) << j.out;
  EXPECT_EQ(parsed.value("status", ""), "error") << j.out;
}

TEST_F(HammerCliTest, MissingFileExitsFour) {
  const std::string missing = MakeTempDir() + "/no_such_problem.p";
  RunResult r = Hammer({"--hammer_timeout=5", missing});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "no_such_problem.p")) << r.err;
}

TEST_F(HammerCliTest, NoProblemIsAUsageErrorExitingTwo) {
  RunResult r = Hammer({});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "usage: thor hammer")) << r.err;
}

}  // namespace
}  // namespace thor::testing
