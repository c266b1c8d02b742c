// The real run CI needs: `thor eval --suite=coq-stdlib --limit=20` through a
// local `thor serve` (real coqtop + CoqHammer), then `thor eval report`.
// About 2-3 minutes with the small per-theorem budget below.
#include <signal.h>
#include <sys/prctl.h>

#include <fstream>

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

constexpr int kTheorems = 20;

std::string PathWithCoqHammer() {
  const char* path = std::getenv("PATH");
  return absl::StrCat("PATH=/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin");
}

TEST(EvalCoqCiTest, CoqStdlibTwentyThroughThorServeThenReport) {
  // A child subreaper: whatever `thor serve` leaves orphaned (a coqtop, an
  // ATP) is reparented to this test, so LeftoverChildren() sees it without
  // looking at the rest of the machine, and the test can run beside others.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  const std::string thor = ThorBinary();
  ASSERT_FALSE(thor.empty()) << "thor binary not found (THOR_BIN)";
  ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq").ok())
      << "coqtop is missing: apt-get install coq libcoq-hammer";
  // A small per-theorem budget: skip CoqHammer's 30-60 s feature-cache
  // warm-up when a coqtop starts, which would not fit in it (the hammer is
  // then slow, and the heuristic steps do the work).
  const std::string dir = MakeTempDir();
  const std::string config = dir + "/server.json";
  {
    std::ofstream f(config);
    f << R"({"provers": {"coq": {"warm_hammer": false}}})";
  }
  SubprocessOptions serve;
  serve.argv = {thor, "serve", "--listen=127.0.0.1:0", "--max_concurrent=2",
                "--config=" + config};
  serve.env = {PathWithCoqHammer()};
  auto server = Subprocess::Start(serve);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE((*server)
                  ->ReadUntil(
                      [](const std::string& out, const std::string&) {
                        return absl::StrContains(out, "listening on port ") &&
                               absl::StrContains(out.substr(out.find("port ")), "\n");
                      },
                      absl::Now() + absl::Seconds(60))
                  .ok())
      << (*server)->out() << (*server)->err();
  const std::string out = (*server)->out();
  size_t at = out.find("listening on port ") + 18;
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(out.substr(at, out.find('\n', at) - at), &port)) << out;

  const std::string results = dir + "/coq-stdlib.jsonl";
  SubprocessOptions eval;
  eval.argv = {thor, "eval", "--suite=coq-stdlib", absl::StrCat("--limit=", kTheorems),
               absl::StrCat("--servers=127.0.0.1:", port), "--concurrency=2",
               "--budget=ci,wall_time_s=10,step_timeout_s=3,hammer_timeout_s=5",
               "--seed=1", "--progress=never", "--out=" + results};
  eval.env = {PathWithCoqHammer()};
  auto run = RunSubprocess(eval, "", absl::Seconds(240));
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->err;

  std::set<std::string> ids;
  int solved = 0;
  const std::set<std::string> final_statuses = {
      "PROVED", "PROVED_UNCHECKED", "EXHAUSTED", "QUERY_BUDGET", "TIME_BUDGET",
      "RECHECK_REJECTED"};
  for (const auto& j : ReadJsonLines(results)) {
    ASSERT_FALSE(j.is_null()) << "a result line does not parse";
    EXPECT_TRUE(ids.insert(j["id"].get<std::string>()).second) << j["id"];
    EXPECT_EQ(j["prover"], "coq");
    EXPECT_EQ(j["suite"], "coq-stdlib");
    EXPECT_TRUE(final_statuses.count(j["status"].get<std::string>()))
        << j["id"] << ": " << j["status"] << " " << j["message"];
    if (j["solved"].get<bool>()) {
      ++solved;
      EXPECT_EQ(j["recheck"], "RECHECK_PASSED") << j["id"];  // Fresh coqc accepted it.
      EXPECT_FALSE(j["proof"].get<std::string>().empty()) << j["id"];
    }
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kTheorems));
  std::cerr << "coq-stdlib: " << solved << "/" << kTheorems << " solved\n";

  SubprocessOptions report;
  report.argv = {thor, "eval", "report", results, "--plot_dir=" + dir};
  auto rep = RunSubprocess(report, "", absl::Seconds(60));
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->exit_code, 0) << rep->err;
  EXPECT_TRUE(absl::StrContains(rep->out, "## coq-stdlib")) << rep->out;
  EXPECT_TRUE(absl::StrContains(rep->out, absl::StrCat("| coq-stdlib | ", solved, " / ",
                                                       kTheorems, " |")))
      << rep->out;
  std::cout << rep->out;

  (*server)->SignalGroup(SIGTERM);
  EXPECT_TRUE((*server)->Wait(absl::Now() + absl::Seconds(30)));
  // Orphans included (this process is their subreaper).
  EXPECT_EQ(LeftoverChildren(), "") << "processes left behind";
}

}  // namespace
}  // namespace thor::testing
