// The `thor eval` binary end to end against a fake server process: kill -9 in
// the middle of a run, resume, and `thor eval report` on the result.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/subprocess.h"
#include "tests/eval/eval_testing.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

std::vector<std::string> EvalArgs(const std::string& suite, const std::string& out, int port) {
  return {ThorBinary(), "eval", "--suite=" + suite, "--out=" + out,
          absl::StrCat("--servers=127.0.0.1:", port), "--concurrency=4",
          "--budget=ci,wall_time_s=5", "--seed=3", "--progress=never"};
}

// Complete lines, all parsed, unique ids; returns the ids.
std::set<std::string> CheckFile(const std::string& path) {
  std::set<std::string> ids;
  std::vector<nlohmann::json> runs;
  for (const auto& j : ReadJsonLines(path, nullptr, &runs)) {
    EXPECT_FALSE(j.is_null()) << "a complete line does not parse";
    if (j.is_null()) continue;
    std::string id = j["id"];
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
  EXPECT_EQ(runs.size(), 1u) << "one run record, however often the run was resumed";
  return ids;
}

TEST(EvalCliTest, KillNineThenResumeLosesNothingAndDuplicatesNothing) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  auto server = StartFakeServer({"--latency_ms=100", "--solve_percent=0"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = MakeTempDir();
  const std::string suite = dir + "/suite.jsonl", out = dir + "/results.jsonl";
  const int n = 40;
  WriteSuite(suite, n, [](int i) { return i % 4 == 0 ? "#solve" : ""; });

  // Twice: start, wait for some results, kill -9.
  size_t before_kill = 0;
  for (int round = 0; round < 2; ++round) {
    SubprocessOptions opts;
    opts.argv = EvalArgs(suite, out, server->port);
    auto eval = Subprocess::Start(opts);
    ASSERT_TRUE(eval.ok()) << eval.status();
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (ReadJsonLines(out).size() < before_kill + 6 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    (*eval)->Kill();
    (*eval)->Wait(absl::Now() + absl::Seconds(5));
    EXPECT_EQ((*eval)->term_signal(), SIGKILL);
    size_t now = CheckFile(out).size();
    EXPECT_GE(now, before_kill + 6);
    EXPECT_LT(now, static_cast<size_t>(n)) << "the run finished before the kill";
    before_kill = now;
  }

  // The report on the unfinished file says so.
  SubprocessOptions opts;
  opts.argv = {ThorBinary(), "eval", "report", out, "--noplots"};
  auto partial = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->exit_code, 0) << partial->err;
  EXPECT_TRUE(absl::StrContains(
      partial->out, absl::StrCat("PARTIAL: ", before_kill, " of 40 suite theorems done")))
      << partial->out;

  opts.argv = EvalArgs(suite, out, server->port);
  auto finish = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(finish.ok());
  EXPECT_EQ(finish->exit_code, 0) << finish->err;
  EXPECT_TRUE(absl::StrContains(finish->err, absl::StrCat(before_kill, " already done")))
      << finish->err;
  std::set<std::string> ids = CheckFile(out);
  EXPECT_EQ(ids.size(), static_cast<size_t>(n));
  size_t torn = 1;
  ReadJsonLines(out, &torn);
  EXPECT_EQ(torn, 0u);

  // The report reads it.
  opts.argv = {ThorBinary(), "eval", "report", out, "--plot_dir=" + dir};
  auto report = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->exit_code, 0) << report->err;
  EXPECT_TRUE(absl::StrContains(report->out, "| results | 10 / 40 | 25.0% | 14.2–40.2% |"))
      << report->out;
  EXPECT_FALSE(absl::StrContains(report->out, "PARTIAL")) << report->out;
  EXPECT_TRUE(std::ifstream(dir + "/cactus-suite.png").good());
  EXPECT_TRUE(std::ifstream(dir + "/cactus-suite.svg").good());

  // The run record: written once, at the first start, with the configuration.
  std::vector<nlohmann::json> runs;
  ReadJsonLines(out, nullptr, &runs);
  ASSERT_EQ(runs.size(), 1u);
  const nlohmann::json& run = runs[0];
  EXPECT_EQ(run["suite"], "suite");
  EXPECT_EQ(run["theorems"], 40);
  EXPECT_EQ(run["budget"], "ci,wall_time_s=5");
  EXPECT_EQ(run["search_config"]["wall_time_s"], 5.0);
  EXPECT_EQ(run["search_config"]["max_model_queries"], 16);  // From the ci preset.
  EXPECT_EQ(run["search_config"]["seed"], 3);
  EXPECT_EQ(run["concurrency"], 4);
  EXPECT_EQ(run["config_hash"], ReadJsonLines(out)[0]["config_hash"]);
  EXPECT_TRUE(absl::StartsWith(run["tools"]["coqtop"].get<std::string>(), "The Coq Proof"))
      << run.dump();
  EXPECT_TRUE(absl::StrContains(report->out, "## Configuration\n\n### results\n\n- started "))
      << report->out;
  EXPECT_TRUE(absl::StrContains(report->out, "- budget `ci,wall_time_s=5`: ")) << report->out;

  server->process->Kill();
  server->process->Wait(absl::Now() + absl::Seconds(5));
  EXPECT_EQ(LeftoverChildren(), "");
}

// --minif2f_version is recorded in each result and in the configuration
// hash: resuming a file of one version with the other is refused.
TEST(EvalCliTest, MiniF2FVersionsAreNeverMixedOnResume) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  ASSERT_FALSE(BenchmarksDir().empty())
      << "../shared/benchmarks not found (set THOR_BENCHMARKS_DIR)";
  auto server = StartFakeServer({"--latency_ms=20"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = MakeTempDir(), out = dir + "/minif2f.jsonl";
  auto run = [&](const std::string& version, const std::string& minif2f, const std::string& to) {
    SubprocessOptions opts;
    opts.argv = EvalArgs("minif2f-valid", to, server->port);
    opts.argv.push_back("--minif2f_dir=" + BenchmarksDir() + "/" + minif2f);
    opts.argv.push_back("--minif2f_version=" + version);
    opts.argv.push_back("--limit=3");
    auto r = RunSubprocess(opts, "", absl::Seconds(60));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : RunResult{};
  };
  RunResult openai = run("openai", "minif2f-isabelle", out);
  ASSERT_EQ(openai.exit_code, 0) << openai.err;
  std::vector<nlohmann::json> lines = ReadJsonLines(out);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& j : lines) EXPECT_EQ(j["suite_version"], "minif2f-openai") << j.dump();
  const std::string hash = lines[0]["config_hash"];

  RunResult facebook = run("facebook", "minif2f-isabelle-fb", out);
  EXPECT_EQ(facebook.exit_code, 1) << facebook.err;
  EXPECT_TRUE(absl::StrContains(facebook.err, "configuration")) << facebook.err;
  EXPECT_EQ(ReadJsonLines(out).size(), 3u) << "the refused run wrote to the file";

  RunResult again = run("openai", "minif2f-isabelle", out);  // Same version resumes.
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(absl::StrContains(again.err, "3 already done")) << again.err;

  const std::string out_fb = dir + "/minif2f-fb.jsonl";
  RunResult fb = run("facebook", "minif2f-isabelle-fb", out_fb);
  EXPECT_EQ(fb.exit_code, 0) << fb.err;
  for (const auto& j : ReadJsonLines(out_fb)) {
    EXPECT_EQ(j["suite_version"], "minif2f-facebook");
    EXPECT_NE(j["config_hash"], hash);
  }
  server->process->Kill();
  server->process->Wait(absl::Now() + absl::Seconds(5));
}

// Starts `thor eval` on `suite` and waits until it holds `out` (its lock file
// names it).
std::unique_ptr<Subprocess> StartHolding(const std::vector<std::string>& argv,
                                         const std::string& out) {
  SubprocessOptions opts;
  opts.argv = argv;
  auto eval = Subprocess::Start(opts);
  EXPECT_TRUE(eval.ok()) << eval.status();
  if (!eval.ok()) return nullptr;
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!std::ifstream(out + ".lock").good() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(std::ifstream(out + ".lock").good()) << "the run never locked " << out;
  return *std::move(eval);
}

// Two real processes on one --out: the second is refused at once, naming the
// first; once the first is killed with -9 its lock is gone with it (flock),
// and the stale holder file it left does not block the next run.
TEST(EvalCliTest, SecondRunOnTheSameOutIsRefusedNamingTheHolder) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  auto server = StartFakeServer({"--latency_ms=20"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = MakeTempDir();
  const std::string suite = dir + "/suite.jsonl", out = dir + "/results.jsonl";
  WriteSuite(suite, 4, [](int) { return "#sleep=60000"; });
  std::unique_ptr<Subprocess> first = StartHolding(EvalArgs(suite, out, server->port), out);
  ASSERT_NE(first, nullptr);

  SubprocessOptions opts;
  opts.argv = EvalArgs(suite, out, server->port);
  const absl::Time began = absl::Now();
  auto second = RunSubprocess(opts, "", absl::Seconds(30));
  ASSERT_TRUE(second.ok());
  EXPECT_LT(absl::Now() - began, absl::Seconds(5)) << "refused, but not at once";
  EXPECT_EQ(second->exit_code, 1) << second->err;
  EXPECT_TRUE(absl::StrContains(second->err, "is being written by another thor eval (pid " +
                                                 std::to_string(first->pid()) + " on host "))
      << second->err;
  EXPECT_TRUE(absl::StrContains(second->err, " since 20")) << second->err;
  EXPECT_TRUE(absl::StrContains(second->err, "another --out")) << second->err;
  EXPECT_TRUE(first->Running()) << "the refused run disturbed the first";

  first->Kill();
  first->Wait(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(std::ifstream(out + ".lock").good()) << "kill -9 leaves the holder file";
  WriteSuite(suite, 4);  // Quick theorems now.
  auto third = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->exit_code, 0) << third->err;
  EXPECT_EQ(CheckFile(out).size(), 4u);
  EXPECT_FALSE(std::ifstream(out + ".lock").good()) << "a finished run leaves its holder file";
  server->process->Kill();
  server->process->Wait(absl::Now() + absl::Seconds(5));
}

// A first SIGINT: exit 130 in well under a second although the searches in
// flight have a minute left, what was saved, and a resume command that works.
// (tests/eval/eval_interrupt_e2e_test.cc does the same with real coqtop.)
TEST(EvalCliTest, FirstInterruptCancelsInFlightSavesAndPrintsTheResumeCommand) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  auto server = StartFakeServer({"--latency_ms=20"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = MakeTempDir();
  const std::string suite = dir + "/suite.jsonl", out = dir + "/results.jsonl";
  WriteSuite(suite, 8, [](int i) { return i < 3 ? "#solve" : "#sleep=60000"; });
  std::vector<std::string> argv = EvalArgs(suite, out, server->port);
  argv.back() = "--progress_every_s=1";  // Instead of --progress=never.
  SubprocessOptions opts;
  opts.argv = argv;
  auto eval = Subprocess::Start(opts);
  ASSERT_TRUE(eval.ok()) << eval.status();
  // Without a terminal: a progress line every second, showing the searches.
  ASSERT_TRUE((*eval)
                  ->ReadUntil(
                      [](const std::string&, const std::string& err) {
                        return absl::StrContains(err, "3/8 done | 3 solved") &&
                               absl::StrContains(err, "4 in flight");
                      },
                      absl::Now() + absl::Seconds(30))
                  .ok())
      << (*eval)->err();
  ::kill((*eval)->pid(), SIGINT);
  const absl::Time sent = absl::Now();
  EXPECT_TRUE((*eval)->Wait(absl::Now() + absl::Seconds(10)));
  const absl::Duration took = absl::Now() - sent;
  (void)(*eval)->ReadUntil(nullptr, absl::Now() + absl::Seconds(2));
  const std::string err = (*eval)->err();
  EXPECT_EQ((*eval)->exit_code(), 130) << err;
  EXPECT_LT(took, absl::Seconds(3)) << err;
  std::cerr << "SIGINT to exit: " << absl::FormatDuration(took) << "\n";
  EXPECT_TRUE(absl::StrContains(err, "4 search(es) in flight cancelled")) << err;
  EXPECT_TRUE(absl::StrContains(err, "saved in " + out + ": 3 new result(s)")) << err;
  EXPECT_TRUE(absl::StrContains(err, "3/8 theorems done, 3 solved, 5 left")) << err;
  EXPECT_EQ(CheckFile(out).size(), 3u);
  size_t at = err.find("resume with:\n  ");
  ASSERT_NE(at, std::string::npos) << err;
  std::string resume = err.substr(at + 15);
  resume = resume.substr(0, resume.find('\n'));
  EXPECT_EQ(resume, absl::StrJoin(argv, " "));

  WriteSuite(suite, 8);  // The slow ones are quick now; the command carries on.
  opts.argv = {"/bin/sh", "-c", resume};
  auto resumed = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->exit_code, 0) << resumed->err;
  EXPECT_TRUE(absl::StrContains(resumed->err, "5 new results, 3 already done")) << resumed->err;
  EXPECT_EQ(CheckFile(out).size(), 8u);
  server->process->Kill();
  server->process->Wait(absl::Now() + absl::Seconds(5));
  EXPECT_EQ(LeftoverChildren(), "");
}

// A results file from before run records: it resumes, gets its run record
// then (saying how many results it held), and reports.
TEST(EvalCliTest, FileWithoutRunRecordResumesAndReports) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  auto server = StartFakeServer({"--latency_ms=5", "--solve_percent=0"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = MakeTempDir(), suite = dir + "/suite.jsonl", out = dir + "/old.jsonl";
  WriteSuite(suite, 5, [](int i) { return i < 2 ? "#solve" : ""; });
  SubprocessOptions opts;
  opts.argv = EvalArgs(suite, out, server->port);
  opts.argv.push_back("--limit=3");
  auto first = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->exit_code, 0) << first->err;
  {  // As an older Thor wrote it: results only.
    std::vector<nlohmann::json> results = ReadJsonLines(out);
    ASSERT_EQ(results.size(), 3u);
    std::ofstream rewrite(out, std::ios::trunc);
    for (const auto& j : results) rewrite << j.dump() << "\n";
  }
  opts.argv = {ThorBinary(), "eval", "report", out, "--noplots"};
  auto old_report = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(old_report.ok());
  EXPECT_EQ(old_report->exit_code, 0) << old_report->err;
  EXPECT_TRUE(absl::StrContains(old_report->out, "| old | 2 / 3 | 66.7% |")) << old_report->out;
  EXPECT_TRUE(absl::StrContains(old_report->out, "- no run record")) << old_report->out;

  opts.argv = EvalArgs(suite, out, server->port);
  auto resumed = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->exit_code, 0) << resumed->err;
  EXPECT_TRUE(absl::StrContains(resumed->err, "3 already done")) << resumed->err;
  std::vector<nlohmann::json> runs;
  EXPECT_EQ(ReadJsonLines(out, nullptr, &runs).size(), 5u);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["records_before"], 3);
  opts.argv = {ThorBinary(), "eval", "report", out, "--noplots"};
  auto report = RunSubprocess(opts, "", absl::Seconds(60));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(absl::StrContains(report->out, "| old | 2 / 5 | 40.0% |")) << report->out;
  EXPECT_TRUE(absl::StrContains(report->out, "a file that held 3 results and no run record"))
      << report->out;
  server->process->Kill();
  server->process->Wait(absl::Now() + absl::Seconds(5));
}

// Shards written to two files are one run for `report`; the comparison
// with an unsharded run of the same suite, CSV and LaTeX tables.
TEST(EvalCliTest, ShardsMergeAndRunsCompare) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  auto server = StartFakeServer({"--latency_ms=5", "--solve_percent=0"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string dir = MakeTempDir(), suite = dir + "/suite.jsonl";
  WriteSuite(suite, 10, [](int i) { return i % 2 == 0 ? "#solve" : ""; });
  auto eval = [&](const std::string& out, const std::string& shard) {
    SubprocessOptions opts;
    opts.argv = EvalArgs(suite, dir + "/" + out, server->port);
    opts.argv.push_back("--shard=" + shard);
    auto r = RunSubprocess(opts, "", absl::Seconds(60));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 0) << r->err;
  };
  eval("part-0.jsonl", "0/2");
  eval("part-1.jsonl", "1/2");
  eval("all.jsonl", "0/1");
  auto report = [&](std::vector<std::string> args) {
    SubprocessOptions opts;
    opts.argv = {ThorBinary(), "eval", "report"};
    opts.argv.insert(opts.argv.end(), args.begin(), args.end());
    auto r = RunSubprocess(opts, "", absl::Seconds(60));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : RunResult{};
  };
  RunResult merged = report({dir + "/part-0.jsonl", dir + "/part-1.jsonl", "--noplots"});
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_TRUE(absl::StrContains(merged.out, "| part | 5 / 10 | 50.0% | 23.7–76.3% |"))
      << merged.out;
  EXPECT_TRUE(absl::StrContains(merged.out, "- 2 shards merged (")) << merged.out;

  RunResult compared = report({"--compare", dir + "/part-0.jsonl", dir + "/part-1.jsonl",
                               dir + "/all.jsonl", "--plot_dir=" + dir, "--log_time"});
  EXPECT_EQ(compared.exit_code, 0) << compared.err;
  EXPECT_TRUE(absl::StrContains(compared.out, "# Comparison: part (A) vs all (B)"))
      << compared.out;
  EXPECT_TRUE(absl::StrContains(compared.out, "| suite | 10 | 5 | 0 | 0 | 5 | ")) << compared.out;
  EXPECT_TRUE(absl::StrContains(compared.out, "![cactus-suite.svg](")) << compared.out;

  RunResult csv = report({dir + "/all.jsonl", "--format=csv", "--noplots"});
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(absl::StartsWith(csv.out, "suite,run,solved,total,")) << csv.out;
  EXPECT_TRUE(absl::StrContains(csv.out, "\nsuite,all,5,10,10,50.00,23.66,76.34,")) << csv.out;
  RunResult tex = report({dir + "/all.jsonl", "--format=latex", "--noplots"});
  EXPECT_EQ(tex.exit_code, 0) << tex.err;
  EXPECT_TRUE(absl::StrContains(tex.out, "all & 5/10 & 50.0 & 23.7--76.3 & -- & -- \\\\"))
      << tex.out;
  RunResult bad = report({dir + "/all.jsonl", "--format=html"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  server->process->Kill();
  server->process->Wait(absl::Now() + absl::Seconds(5));
}

TEST(EvalCliTest, BadFlagsAreUsageErrors) {
  ASSERT_FALSE(ThorBinary().empty()) << "thor binary not found (THOR_BIN)";
  SubprocessOptions opts;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--suite=no-such-suite"},
        std::vector<std::string>{"--suite=minif2f-valid", "--shard=2/2"},
        std::vector<std::string>{"--suite=minif2f-valid", "--budget=bogus"}}) {
    opts.argv = {ThorBinary(), "eval"};
    opts.argv.insert(opts.argv.end(), args.begin(), args.end());
    auto r = RunSubprocess(opts, "", absl::Seconds(30));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 2) << args.back() << ": " << r->err;
    EXPECT_TRUE(absl::StrContains(r->err, "thor eval: ")) << r->err;
  }
}

}  // namespace
}  // namespace thor::testing
