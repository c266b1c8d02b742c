// Runs that behave, end to end with real coqtop (issue 16): `thor prove`,
// `thor serve` and `thor eval` killed with -9 mid-search leave no coqtop (nor
// anything coqtop started) behind, and a first Ctrl-C on `thor eval` ends it
// promptly with exit 130, its results intact and its children gone.
// Needs coq and libcoq-hammer (Debian).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"
#include "tests/testing/serve_process.h"

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

namespace thor::testing {
namespace {

// False, so no search ends early: each runs until its budget or a kill.
constexpr char kFalse[] = "forall n m : nat, n + m = S (m + n)";

std::string CoqPath() {
  const char* path = std::getenv("PATH");
  return absl::StrCat("PATH=/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin");
}

class RunsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Orphans are adopted by this process: LeftoverChildren() sees whatever a
    // killed `thor` left, and nothing else on the machine.
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    thor_ = TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT);
    ASSERT_FALSE(thor_.empty()) << "set THOR_BIN to the thor binary";
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
    dir_ = MakeTempDir();
    // CoqHammer's warm-up off: coqtop is up in a second.
    config_ = dir_ + "/server.json";
    std::ofstream(config_) << R"({"provers": {"coq": {"warm_hammer": false}}})";
  }
  void TearDown() override {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {  // Adopted orphans' zombies.
    }
  }

  std::unique_ptr<Subprocess> Start(std::vector<std::string> argv,
                                    std::vector<std::string> extra_env = {}) {
    SubprocessOptions o;
    o.argv = std::move(argv);
    o.env = {CoqPath()};
    o.env.insert(o.env.end(), extra_env.begin(), extra_env.end());
    auto p = Subprocess::Start(o);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *std::move(p) : nullptr;
  }

  // Waits until a coqtop runs under `root` and has worked for a moment.
  void AwaitCoqtop(pid_t root) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (CoqtopsUnder(root).empty() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_FALSE(CoqtopsUnder(root).empty()) << "no coqtop started under " << root;
    absl::SleepFor(absl::Seconds(2));
  }

  // kill -9 of `thor` alone (not its group), then nothing it started may
  // remain.
  void KillNineAndExpectNothingLeft(Subprocess& thor) {
    std::vector<ProcessInfo> before = Descendants(thor.pid());
    std::string names;
    for (const ProcessInfo& p : before) absl::StrAppend(&names, p.comm, " ");
    std::cerr << "under thor before kill -9: " << names << "\n";
    ASSERT_EQ(::kill(thor.pid(), SIGKILL), 0);
    thor.Wait(absl::Now() + absl::Seconds(10));
    EXPECT_EQ(thor.term_signal(), SIGKILL);
    EXPECT_EQ(LeftoverChildren(10000), "") << "outlived a thor killed by -9";
    for (const ProcessInfo& p : before) {
      std::optional<ProcessEntry> now = ReadProcess(p.pid);
      EXPECT_TRUE(!now || now->zombie()) << p.pid << " " << p.comm << " outlived thor";
    }
  }

  std::string thor_, dir_, config_;
};

TEST_F(RunsE2eTest, ProveKilledByNineLeavesNoProcess) {
  auto prove = Start({thor_, "prove", "--prover=coq", std::string("--statement=") + kFalse,
                      "--wall_time=120", "--config=" + config_});
  ASSERT_NE(prove, nullptr);
  AwaitCoqtop(prove->pid());
  KillNineAndExpectNothingLeft(*prove);
}

TEST_F(RunsE2eTest, ServeKilledByNineMidSearchLeavesNoProcess) {
  auto serve = StartServe(thor_, {"--config=" + config_});
  ASSERT_TRUE(serve.ok()) << serve.status();
  // A client process searching on it (its own process, not killed).
  auto client = Start({thor_, "prove", "--prover=coq", std::string("--statement=") + kFalse,
                       "--wall_time=120", absl::StrCat("--server=127.0.0.1:", serve->port)});
  ASSERT_NE(client, nullptr);
  AwaitCoqtop(serve->process->pid());
  KillNineAndExpectNothingLeft(*serve->process);
  client->Wait(absl::Now() + absl::Seconds(30));  // Its server is gone: it ends.
}

TEST_F(RunsE2eTest, EvalKilledByNineMidSearchLeavesNoProcess) {
  const std::string suite = dir_ + "/suite.jsonl";
  std::ofstream(suite) << nlohmann::json{{"id", "f"}, {"prover", "coq"}, {"statement", kFalse}}
                              .dump()
                       << "\n";
  auto eval = Start({thor_, "eval", "--suite=" + suite, "--out=" + dir_ + "/r.jsonl",
                     "--budget=wall_time_s=120", "--progress=never", "--config=" + config_});
  ASSERT_NE(eval, nullptr);
  AwaitCoqtop(eval->pid());
  KillNineAndExpectNothingLeft(*eval);
}

// The first Ctrl-C: searches in flight are cancelled (not waited for: each
// has two minutes left), exit 130 within seconds, the message says what was
// saved and how to resume, every line of the results file is whole, and no
// coqtop is left.
TEST_F(RunsE2eTest, EvalFirstInterruptExits130PromptlyWithNothingLeft) {
  const std::string suite = dir_ + "/suite.jsonl", out = dir_ + "/r.jsonl";
  {
    std::ofstream f(suite);
    f << nlohmann::json{{"id", "easy"}, {"prover", "coq"}, {"statement", "True"}}.dump() << "\n";
    for (int i = 0; i < 3; ++i) {
      f << nlohmann::json{{"id", absl::StrCat("false", i)}, {"prover", "coq"},
                          {"statement", kFalse}}.dump()
        << "\n";
    }
  }
  // With every coqtop exchange on stderr: should the exit be slow, the
  // failure shows which call did not stop (once, in CI, one took 28 s).
  auto eval = Start({thor_, "eval", "--suite=" + suite, "--out=" + out, "--concurrency=2",
                     "--budget=wall_time_s=120", "--progress_every_s=1", "--config=" + config_},
                    {"THOR_COQ_TRACE=1"});
  ASSERT_NE(eval, nullptr);
  // Without a terminal, a progress line every second; wait for the easy one
  // to be saved and two searches in flight.
  ASSERT_TRUE(eval->ReadUntil(
                      [](const std::string&, const std::string& err) {
                        return absl::StrContains(err, "1/4 done | 1 solved") &&
                               absl::StrContains(err, "2 in flight");
                      },
                      absl::Now() + absl::Seconds(120))
                  .ok())
      << eval->err();
  AwaitCoqtop(eval->pid());
  ::kill(eval->pid(), SIGINT);
  const absl::Time sent = absl::Now();
  ASSERT_TRUE(eval->Wait(absl::Now() + absl::Seconds(60)));
  const absl::Duration took = absl::Now() - sent;
  (void)eval->ReadUntil(nullptr, absl::Now() + absl::Seconds(2));
  std::cerr << "SIGINT to exit with real coqtop: " << absl::FormatDuration(took) << "\n";
  const std::string err = eval->err();
  EXPECT_EQ(eval->exit_code(), 130) << err;
  EXPECT_LT(took, absl::Seconds(10)) << "the last 12000 bytes of stderr:\n"
                                     << err.substr(err.size() > 12000 ? err.size() - 12000 : 0);
  EXPECT_TRUE(absl::StrContains(err, "2 search(es) in flight cancelled")) << err;
  EXPECT_TRUE(absl::StrContains(err, "saved in " + out + ": 1 new result(s)")) << err;
  EXPECT_TRUE(absl::StrContains(err, "1/4 theorems done, 1 solved, 3 left")) << err;
  EXPECT_TRUE(absl::StrContains(err, "resume with:\n  " + thor_ + " eval --suite=")) << err;
  std::ifstream in(out);
  std::string line, all;
  int lines = 0;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    if (j.value("record", "") == "run") continue;  // The run's configuration.
    ++lines;
    EXPECT_EQ(j["id"], "easy");
    EXPECT_EQ(j["status"], "PROVED") << line;
  }
  EXPECT_EQ(lines, 1);
  EXPECT_EQ(LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::testing
