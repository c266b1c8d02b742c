// Ready in seconds, end to end: the real `thor serve` with real coqtop and
// CoqHammer. A cold Prove's first event is `preparing`, sent before the
// prover is ready, and cheap steps prove a lemma while CoqHammer still
// warms up; `thor prove` prints the preparing events; a server that keeps a
// warm process starts a Prove on it; SIGTERM leaves no coqtop behind.
// Needs coq and libcoq-hammer (Debian).
#include <signal.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"
#include "tests/testing/serve_process.h"

namespace thor::testing {
namespace {

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

// CoqHammer's warm-up took 30-55 s here; on a loaded machine more.
constexpr absl::Duration kWarmUp = absl::Seconds(300);

v1::ProveRequest CheapLemma() {
  v1::ProveRequest req;
  v1::Theorem* t = req.mutable_theorem();
  t->set_prover("coq");
  t->set_name("add_0_r");
  t->set_statement("forall n : nat, n + 0 = n");
  req.mutable_config()->set_wall_time_s(120);
  return req;
}

std::string Kinds(const ProveTimeline& t) {
  std::string out;
  for (const std::string& k : t.kinds) absl::StrAppend(&out, k, " ");
  return out;
}

class WarmServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thor_ = TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT);
    ASSERT_FALSE(thor_.empty()) << "set THOR_BIN to the thor binary";
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
  }
  // SIGTERM, then every coqtop seen under the server must be gone.
  void StopAndExpectNoCoqtop(ServeProcess& serve, std::vector<pid_t> seen) {
    for (pid_t pid : CoqtopsUnder(serve.process->pid())) seen.push_back(pid);
    serve.process->SignalGroup(SIGTERM);
    ASSERT_TRUE(serve.process->Wait(absl::Now() + absl::Seconds(30)));
    EXPECT_EQ(serve.process->exit_code(), 0) << serve.process->out();
    (void)serve.process->ReadUntil([](const std::string&, const std::string&) { return false; },
                                   absl::Now() + absl::Seconds(2));
    EXPECT_TRUE(absl::StrContains(serve.process->out(), "\"children_alive\":0"))
        << serve.process->out();
    for (pid_t pid : seen) EXPECT_NE(::kill(pid, 0), 0) << "coqtop " << pid << " outlived serve";
    EXPECT_EQ(LeftoverChildren(5000), "");
  }
  std::string thor_;
};

TEST_F(WarmServeTest, ColdProveSendsPreparingFirstAndProvesBeforeTheHammerIsReady) {
  absl::StatusOr<ServeProcess> serve = StartServe(thor_, {"--warm_processes=0"});
  ASSERT_TRUE(serve.ok()) << serve.status();
  ProveTimeline t = TimedProve(*serve->stub, CheapLemma(), absl::Seconds(180));
  ASSERT_TRUE(t.status.ok()) << t.status.error_message();
  ASSERT_FALSE(t.kinds.empty());
  EXPECT_EQ(t.kinds[0], "preparing:starting_prover") << Kinds(t);
  EXPECT_LT(t.first_event_s, t.started_s) << Kinds(t);
  // The search started on a coqtop without CoqHammer's warm-up ...
  EXPECT_TRUE(absl::StrContains(KindsBeforeStarted(t), "preparing:hammer_loading")) << Kinds(t);
  // ... and cheap steps proved it before the hammer was ready.
  EXPECT_EQ(t.result.status(), v1::PROVED) << t.result.message();
  EXPECT_EQ(t.result.recheck(), v1::RECHECK_PASSED);
  EXPECT_TRUE(t.hammer_ready_s < 0 || t.hammer_ready_s > t.finished_s) << Kinds(t);
  std::vector<pid_t> seen = CoqtopsUnder(serve->process->pid());

  // `thor prove` shows the preparing events to its user.
  SubprocessOptions o;
  o.argv = {thor_, "prove", absl::StrCat("--server=127.0.0.1:", serve->port), "--prover=coq",
            "--statement=forall n : nat, n + 0 = n", "--wall_time=120"};
  absl::StatusOr<RunResult> cli = RunSubprocess(o, "", absl::Seconds(180));
  ASSERT_TRUE(cli.ok()) << cli.status();
  EXPECT_EQ(cli->exit_code, 0) << cli->out << cli->err;
  EXPECT_TRUE(absl::StrContains(cli->err, "preparing coq: starting_prover")) << cli->err;
  StopAndExpectNoCoqtop(*serve, seen);
}

TEST_F(WarmServeTest, AWarmServerStartsOnItsPoolAndLeavesNoProcessAfterShutdown) {
  absl::StatusOr<ServeProcess> serve = StartServe(thor_, {"--warm_processes=1"});
  ASSERT_TRUE(serve.ok()) << serve.status();
  ASSERT_TRUE(WaitUntilIdle(serve->process->pid(), 1, absl::Seconds(3), kWarmUp))
      << "the warm coqtop did not finish warming up";
  std::vector<pid_t> seen = CoqtopsUnder(serve->process->pid());
  ASSERT_EQ(seen.size(), 1u);
  ProveTimeline t = TimedProve(*serve->stub, CheapLemma(), absl::Seconds(180));
  ASSERT_TRUE(t.status.ok()) << t.status.error_message();
  EXPECT_EQ(t.kinds[0], "preparing:starting_prover") << Kinds(t);
  // The first session took the warm coqtop: the hammer was ready at start.
  const std::string before = KindsBeforeStarted(t);
  EXPECT_TRUE(absl::StrContains(before, "preparing:hammer_ready")) << Kinds(t);
  EXPECT_FALSE(absl::StrContains(before, "preparing:hammer_loading")) << Kinds(t);
  EXPECT_EQ(t.result.status(), v1::PROVED) << t.result.message();
  StopAndExpectNoCoqtop(*serve, seen);
}

}  // namespace
}  // namespace thor::testing
