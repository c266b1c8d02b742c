// The real `thor` binary end to end: `thor serve` with the Python example
// client, `thor prove/suggest/check` in-process and against a server, with the
// Isabelle bridge over the fake PISA server, and SIGTERM shutdown.
// Finds `thor` and the fake PISA server through TestBinary ($THOR_BIN and
// $FAKE_PISA_SERVER, the paths CMake compiled in, or Bazel's runfiles) and the
// source tree through tests/testing/paths.h.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif
#ifndef FAKE_PISA_SERVER_DEFAULT
#define FAKE_PISA_SERVER_DEFAULT ""
#endif

std::string ThorBin() { return TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT); }

std::string FakePisaBin() {
  return TestBinary("FAKE_PISA_SERVER", "tests/isabelle_bridge/fake_pisa_server",
                    FAKE_PISA_SERVER_DEFAULT);
}

// A long-running child that printed "... port N" (thor serve, fake PISA).
struct Daemon {
  std::unique_ptr<Subprocess> process;
  int port = 0;
};

Daemon StartDaemon(std::vector<std::string> argv) {
  Daemon d;
  SubprocessOptions o;
  o.argv = std::move(argv);
  o.merge_stderr = true;
  auto p = Subprocess::Start(o);
  EXPECT_TRUE(p.ok()) << p.status();
  if (!p.ok()) return d;
  d.process = *std::move(p);
  static const std::regex kPort("[Ll]istening on port ([0-9]+)");
  std::smatch m;
  absl::Status s = d.process->ReadUntil(
      [&](const std::string& out, const std::string&) { return std::regex_search(out, m, kPort); },
      absl::Now() + absl::Seconds(60));
  EXPECT_TRUE(s.ok()) << o.argv[0] << " printed no port: " << d.process->out();
  if (s.ok()) {
    EXPECT_TRUE(absl::SimpleAtoi(m[1].str(), &d.port));
  }
  return d;
}

RunResult RunCommand(std::vector<std::string> argv, absl::Duration timeout = absl::Seconds(120)) {
  SubprocessOptions o;
  o.argv = std::move(argv);
  auto r = RunSubprocess(o, "", timeout);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : RunResult{};
}

// Debian's python3 (which has python3-grpcio) rather than a pyenv one.
std::string Python() {
  return FindProgram("/usr/bin/python3").empty() ? "python3" : "/usr/bin/python3";
}

class CliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thor_ = ThorBin();
    fake_pisa_ = FakePisaBin();
    ASSERT_FALSE(thor_.empty()) << "set THOR_BIN to the thor binary";
    ASSERT_FALSE(fake_pisa_.empty()) << "set FAKE_PISA_SERVER to the fake PISA server binary";
    pisa_ = StartDaemon({fake_pisa_, "--port=0"});
    ASSERT_GT(pisa_.port, 0);
    pisa_flag_ = absl::StrCat("--pisa=127.0.0.1:", pisa_.port);
  }
  void TearDown() override {
    pisa_.process.reset();
    EXPECT_EQ(LeftoverChildren(5000), "");
  }

  std::string thor_, fake_pisa_, pisa_flag_;
  Daemon pisa_;
};

TEST_F(CliE2eTest, PythonExampleProvesOnALiveServerThatStopsOnSigterm) {
  Daemon serve = StartDaemon({thor_, "serve", "--listen=127.0.0.1:0", pisa_flag_,
                              "--metrics_listen=127.0.0.1:0"});
  ASSERT_GT(serve.port, 0);
  RunResult py = RunCommand({Python(), SourceDir() + "/examples/python/thor_client.py",
                      absl::StrCat("--server=127.0.0.1:", serve.port), "--prover=isabelle",
                      "--statement=theorem t: \"(a::nat) + 0 = a\"", "--skip_recheck"});
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err;
  EXPECT_NE(py.out.find("started  search="), std::string::npos) << py.out;
  EXPECT_NE(py.out.find("finished PROVED_UNCHECKED"), std::string::npos) << py.out;
  EXPECT_NE(py.out.find("proof:"), std::string::npos) << py.out;

  serve.process->SignalGroup(SIGTERM);
  EXPECT_TRUE(serve.process->Wait(absl::Now() + absl::Seconds(20)));
  EXPECT_EQ(serve.process->exit_code(), 0) << serve.process->out();
  // Read the rest of the log (the streams are at EOF once it exited).
  (void)serve.process->ReadUntil([](const std::string&, const std::string&) { return false; },
                                 absl::Now() + absl::Seconds(2));
  EXPECT_NE(serve.process->out().find("\"event\":\"stopped\""), std::string::npos)
      << serve.process->out();
}

TEST_F(CliE2eTest, ProveIsabelleInProcessAgainstFakePisa) {
  RunResult r = RunCommand({thor_, "prove", "--prover=isabelle", pisa_flag_, "--skip_recheck",
                     "--statement=theorem t: \"(a::nat) + 0 = a\"", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"status\":\"PROVED_UNCHECKED\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"started\""), std::string::npos);
}

// `--json` keeps stdout to events, one JSON object a line, and the logs (on:
// an in-process server logs to stderr) to stderr.
void ExpectStdoutIsEventsOnly(const RunResult& r, bool want_finished) {
  static const char* const kEvents[] = {"preparing", "started", "step", "hammer", "progress",
                                        "finished"};
  int lines = 0, finished = 0;
  for (absl::string_view line : absl::StrSplit(r.out, '\n', absl::SkipEmpty())) {
    ++lines;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "not a JSON object on stdout: " << line;
    int kinds = 0;
    for (const char* k : kEvents) kinds += j.contains(k);
    EXPECT_EQ(kinds, 1) << "not one SearchEvent: " << line;
    EXPECT_FALSE(j.contains("event")) << "a log line on stdout: " << line;
    finished += j.contains("finished");
  }
  EXPECT_GE(lines, want_finished ? 2 : 1) << r.err;
  EXPECT_EQ(finished, want_finished ? 1 : 0) << r.out;
  // The logs went to stderr, as JSON lines of their own.
  EXPECT_NE(r.err.find("\"event\":\"search_started\""), std::string::npos) << r.err;
}

TEST_F(CliE2eTest, ProveJsonPrintsOnlyEventsOnStdoutAndLogsOnStderr) {
  RunResult r = RunCommand({thor_, "prove", "--prover=isabelle", pisa_flag_, "--skip_recheck",
                            "--statement=theorem t: \"(a::nat) + 0 = a\"", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectStdoutIsEventsOnly(r, /*want_finished=*/true);
  EXPECT_NE(r.err.find("\"event\":\"search_finished\""), std::string::npos) << r.err;
}

// With real coqtop: a statement Coq cannot parse ends the call with
// INVALID_ARGUMENT (thor.proto, "Errors"): stdout still holds only the events
// sent before (preparing), the error goes to stderr, and the exit code is 2.
TEST_F(CliE2eTest, ProveJsonOnAnUnparsableCoqStatementKeepsStdoutToEvents) {
  ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
      << "coqtop is missing: apt-get install coq libcoq-hammer";
  RunResult r = RunCommand({thor_, "prove", "--prover=coq", "--statement=forall n : nat, n + = n",
                            "--wall_time=120", "--json"},
                           absl::Seconds(180));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  ExpectStdoutIsEventsOnly(r, /*want_finished=*/false);
  EXPECT_NE(r.err.find("INVALID_ARGUMENT"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Syntax error"), std::string::npos) << r.err;
}

TEST_F(CliE2eTest, ProveIsabelleWithoutPisaSaysHowToSetItUp) {
  RunResult r = RunCommand({thor_, "prove", "--prover=isabelle", "--statement=theorem t: \"True\""});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("FAILED_PRECONDITION"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--pisa"), std::string::npos) << r.err;
}

TEST_F(CliE2eTest, RemoteProveSuggestAndCheckWithAToken) {
  const std::string dir = MakeTempDir();
  const std::string token_file = dir + "/token";
  std::ofstream(token_file) << "e2e-token\n";
  Daemon serve = StartDaemon({thor_, "serve", "--listen=127.0.0.1:0", pisa_flag_,
                              "--auth_token_file=" + token_file});
  ASSERT_GT(serve.port, 0);
  const std::string server = absl::StrCat("--server=127.0.0.1:", serve.port);
  const std::string stmt = "--statement=theorem t: \"(a::nat) + 0 = a\"";
  RunResult prove = RunCommand({thor_, "prove", server, "--auth_token_file=" + token_file,
                         "--prover=isabelle", stmt, "--skip_recheck"});
  EXPECT_EQ(prove.exit_code, 0) << prove.out << prove.err;
  EXPECT_NE(prove.out.find("status: PROVED_UNCHECKED"), std::string::npos) << prove.out;

  RunResult denied = RunCommand({thor_, "prove", server, "--prover=isabelle", stmt});
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_NE(denied.err.find("UNAUTHENTICATED"), std::string::npos) << denied.err;

  RunResult suggest = RunCommand({thor_, "suggest", server, "--auth_token_file=" + token_file,
                           "--prover=isabelle", stmt, "--try_steps", "--n=3"});
  EXPECT_EQ(suggest.exit_code, 0) << suggest.out << suggest.err;
  EXPECT_NE(suggest.out.find("suggestions:"), std::string::npos) << suggest.out;
  EXPECT_NE(suggest.out.find("PROOF_FINISHED"), std::string::npos) << suggest.out;

  RunResult bad = RunCommand({thor_, "suggest", server, "--auth_token_file=" + token_file,
                       "--prover=isabelle", stmt, "--n=100"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("INVALID_ARGUMENT: n: must be between 1 and 64"), std::string::npos)
      << bad.err;

  serve.process->SignalGroup(SIGTERM);
  EXPECT_TRUE(serve.process->Wait(absl::Now() + absl::Seconds(20)));
  EXPECT_EQ(serve.process->exit_code(), 0);
}

// `thor prove --prover=coq` in-process on the list lemma with `args`; its
// --json output (all of it, and from the "finished" event on) after the
// checks every such run passes: exit 0, a proof re-checked.
struct ListLemmaRun {
  std::string out;
  std::string result;
};
ListLemmaRun ProveListLemma(const std::vector<std::string>& args) {
  ListLemmaRun run;
  const std::string thor = ThorBin();
  EXPECT_FALSE(thor.empty()) << "set THOR_BIN to the thor binary";
  EXPECT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
      << "coqtop is missing: apt-get install coq libcoq-hammer";
  if (thor.empty()) return run;
  std::vector<std::string> argv = {
      thor, "prove", "--prover=coq", "--imports=List",
      "--statement=forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)",
      "--sequential", "--wall_time=240", "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = RunCommand(argv, absl::Seconds(300));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  run.out = r.out;
  const size_t finished = r.out.rfind("\"finished\"");
  EXPECT_NE(finished, std::string::npos) << r.out << r.err;
  if (finished != std::string::npos) run.result = r.out.substr(finished);
  EXPECT_NE(run.result.find("\"status\":\"PROVED\""), std::string::npos) << run.result;
  EXPECT_NE(run.result.find("\"recheck\":\"RECHECK_PASSED\""), std::string::npos) << run.result;
  EXPECT_NE(run.result.find("\"from_hammer\":true"), std::string::npos) << run.result;
  return run;
}

// Issue 5's acceptance test through the command line: `thor prove --prover
// coq` in-process with the heuristic policy and no model server proves the
// list lemma through a hammer step, and coqc re-checks the proof.
TEST(CliCoqTest, ProvesTheListLemmaThroughAHammerStepWithCoqcRecheck) {
  ListLemmaRun run = ProveListLemma({"--hammer_timeout=60", "--max_queries=10"});
  EXPECT_NE(run.result.find("Qed."), std::string::npos) << run.result;
  EXPECT_EQ(LeftoverChildren(5000), "");
}

// `--policy=hammer`: the hammer alone, one call on the theorem's own goal
// and no other step (the third row of the learned-policy table).
TEST(CliCoqTest, TheHammerPolicyMakesOneHammerCallAndNoStep) {
  ListLemmaRun run = ProveListLemma({"--policy=hammer", "--hammer_timeout=120"});
  // One step, the hammer's, and one call in all: no cheap step was tried.
  EXPECT_NE(run.result.find("\"steps\":[{\"text\""), std::string::npos) << run.result;
  EXPECT_EQ(run.result.find("},{\"text\""), std::string::npos) << run.result;
  EXPECT_NE(run.result.find("\"candidates\":1,\"hammer_calls\":1,"), std::string::npos)
      << run.result;
  EXPECT_EQ(run.result.find("\"steps_applied\""), std::string::npos) << run.result;
  EXPECT_EQ(run.out.find("\"step\":{"), std::string::npos) << run.out;
  EXPECT_EQ(LeftoverChildren(5000), "");
}

// Issue 12's round trip through the command line: the proof `thor prove`
// prints, saved to a file as it is, passes `thor check --proof_file`; both
// say which checkers accepted it and that it rests on nothing.
TEST(CliCoqTest, ProvedTextPassesThorCheckProofFile) {
  const std::string thor = ThorBin();
  ASSERT_FALSE(thor.empty()) << "set THOR_BIN to the thor binary";
  ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
      << "coqtop is missing: apt-get install coq libcoq-hammer";
  const std::string stmt = "--statement=forall n : nat, n + 0 = n";
  // The cheap steps prove it: no hammer loaded at start.
  const std::string config = MakeTempDir() + "/config.json";
  std::ofstream(config) << R"({"provers": {"coq": {"warm_hammer": false}}})";
  RunResult prove = RunCommand({thor, "prove", "--prover=coq", stmt, "--sequential",
                                "--config=" + config,
                                "--hammer_timeout=5", "--wall_time=120"},
                               absl::Seconds(180));
  ASSERT_EQ(prove.exit_code, 0) << prove.out << prove.err;
  EXPECT_NE(prove.out.find("status: PROVED\n"), std::string::npos) << prove.out;
  EXPECT_NE(prove.out.find("; rests on: nothing\n"), std::string::npos) << prove.out;
  EXPECT_NE(prove.out.find("checked by: coqc, print_assumptions, coqchk;"), std::string::npos)
      << prove.out;
  // The proof text is printed between "proof:" and the stats (or hammer) lines.
  const size_t begin = prove.out.find("proof:\n");
  ASSERT_NE(begin, std::string::npos) << prove.out;
  size_t end = prove.out.find("\nhammer step: ", begin);
  if (end == std::string::npos) end = prove.out.find("\nstats: ", begin);
  ASSERT_NE(end, std::string::npos) << prove.out;
  const std::string text = prove.out.substr(begin + 7, end - begin - 7);
  const std::string proof_file = MakeTempDir() + "/proof.v";
  std::ofstream(proof_file) << text;

  RunResult check = RunCommand({thor, "check", "--prover=coq", stmt, "--config=" + config,
                                "--proof_file=" + proof_file});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err << "\nproof file:\n" << text;
  EXPECT_NE(check.out.find("RECHECK_PASSED"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("checked by: "), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("; rests on: nothing"), std::string::npos) << check.out;
  EXPECT_EQ(LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::testing
