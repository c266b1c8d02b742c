// bench/coq_suite: coq-stdlib theorems, one wall budget per theorem, side by
// side in one process: CoqHammer's `hammer` alone, Thor's best-first search
// with the heuristic policy + the native hammer, and with the external
// hammer (CoqHammer export -> Thor's portfolio -> sauto-family replay).
// A theorem counts as solved only if coqc re-checks the proof. Prints one
// line per theorem and configuration, a table, and ends with ONE JSON line.
//
//   coq_suite --sample=100 --budget_s=10 [--out=results.jsonl]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/hammer_atp.h"
#include "coq_bridge/stdlib_suite.h"
#include "lm_client/heuristic_policy.h"
#include "search/best_first.h"

ABSL_FLAG(int, sample, 100, "coq-stdlib theorems, spread evenly over the selection");
ABSL_FLAG(double, budget_s, 10, "wall budget per theorem and configuration (seconds)");
ABSL_FLAG(std::string, out, "", "also write one JSON object per run to this file");
ABSL_FLAG(std::string, only, "", "run only theorems whose name contains this (debugging)");
ABSL_FLAG(std::string, configs, "hammer,thor_native,thor_external", "configurations to run");

namespace thor::coq {
namespace {

struct Run {
  bool solved = false;
  double seconds = 0;
  std::string detail;
  double start_s = 0;  // Loading the theorem (context + statement).
};

// CoqHammer alone: one `hammer` call on the theorem's initial state.
Run HammerAlone(CoqBackend& backend, const Theorem& thm, absl::Duration budget) {
  Run run;
  auto session = backend.NewSession();
  if (!session.ok()) return {false, 0, std::string(session.status().message())};
  const absl::Time t0 = absl::Now();
  absl::StatusOr<ProofState> s0 = (*session)->Start(thm, absl::Seconds(120));
  run.start_s = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!s0.ok()) return {false, 0, "start: " + std::string(s0.status().message()), run.start_s};
  HammerStepResult h = (*session)->Hammer(*s0, budget);
  run.seconds = absl::ToDoubleSeconds(h.step.elapsed);
  if (h.step.kind != StepKind::kProofFinished) {
    run.detail = h.message.substr(0, 120);
    return run;
  }
  RecheckResult check = backend.Recheck(thm, h.step.state.steps, absl::Seconds(120));
  run.solved = check.verdict == RecheckVerdict::kPassed;
  run.detail = run.solved ? h.step_text : "recheck: " + check.message.substr(0, 120);
  return run;
}

// Thor: best-first search with the heuristic policy, hammer token included.
// The search counts loading the theorem in its wall time; `load` (what
// loading took in the hammer-alone run, doubled) is added so that both get
// the same budget for proving.
Run ThorSearch(CoqBackend& backend, const Theorem& thm, absl::Duration budget,
               absl::Duration load) {
  HeuristicPolicy policy;
  SearchConfig config;
  config.sequential = true;
  config.seed = 1;
  config.wall_time = budget + load;
  config.step_timeout = absl::Seconds(3);
  config.hammer_timeout = budget;
  config.start_timeout = absl::Seconds(120);
  config.recheck_timeout = absl::Seconds(120);
  config.record_trace = false;
  SearchResult r = RunBestFirstSearch(backend, policy, thm, config, nullptr, nullptr);
  Run run;
  run.solved = r.status == SearchStatus::kProved;
  run.seconds = r.stats.wall_s;
  run.detail = run.solved ? r.proof_text.substr(0, 120)
                          : std::string(SearchStatusName(r.status)) + " " + r.message.substr(0, 100);
  return run;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int Main() {
  StdlibSuiteOptions options;
  options.sample = absl::GetFlag(FLAGS_sample);
  absl::StatusOr<std::vector<Theorem>> suite = StdlibSuite(options);
  if (!suite.ok()) {
    std::fprintf(stderr, "coq_suite: %s\n", std::string(suite.status().message()).c_str());
    return 1;
  }
  const absl::Duration budget = absl::Seconds(absl::GetFlag(FLAGS_budget_s));
  CoqConfig native;
  native.max_idle_processes = 1;
  CoqConfig external = native;
  external.hammer_mode = HammerMode::kExternal;
  CoqBackend hammer_backend(native);
  CoqBackend native_backend(native);
  CoqBackend external_backend(external, MakeHammerAtpRunner());
  // Warm pools before the clock starts: each coqtop fills CoqHammer's
  // feature cache once (30-60 s on a loaded machine).
  for (CoqBackend* b : {&hammer_backend, &native_backend, &external_backend}) {
    absl::Status s = b->Prewarm(1, absl::Seconds(600));
    if (!s.ok()) std::fprintf(stderr, "coq_suite: prewarm: %s\n", std::string(s.message()).c_str());
  }
  const std::vector<std::string> configs =
      absl::StrSplit(absl::GetFlag(FLAGS_configs), ',', absl::SkipEmpty());
  if (!absl::GetFlag(FLAGS_only).empty()) {
    std::vector<Theorem> picked;
    for (const Theorem& t : *suite) {
      if (absl::StrContains(t.name, absl::GetFlag(FLAGS_only))) picked.push_back(t);
    }
    *suite = picked;
  }
  std::map<std::string, std::vector<double>> solved_times;
  std::map<std::string, int> solved;
  std::ofstream out;
  if (!absl::GetFlag(FLAGS_out).empty()) out.open(absl::GetFlag(FLAGS_out));
  const absl::Time start = absl::Now();
  for (size_t i = 0; i < suite->size(); ++i) {
    const Theorem& thm = (*suite)[i];
    double load_s = 0;
    for (const std::string& config : configs) {
      const absl::Duration load = absl::Seconds(2 * load_s);
      Run run = config == "hammer"        ? HammerAlone(hammer_backend, thm, budget)
                : config == "thor_native" ? ThorSearch(native_backend, thm, budget, load)
                                          : ThorSearch(external_backend, thm, budget, load);
      if (config == "hammer") load_s = run.start_s;
      if (run.solved) {
        ++solved[config];
        solved_times[config].push_back(run.seconds);
      }
      std::printf("[%3zu/%zu] %-14s %-45s %s %6.2fs %s\n", i + 1, suite->size(), config.c_str(),
                  thm.name.c_str(), run.solved ? "SOLVED" : "failed", run.seconds,
                  run.detail.c_str());
      std::fflush(stdout);
      if (out.is_open()) {
        out << nlohmann::json{{"theorem", thm.name}, {"config", config}, {"solved", run.solved},
                              {"seconds", run.seconds}, {"detail", run.detail}}
                   .dump()
            << "\n";
        out.flush();
      }
    }
  }
  const double hammer_solved = std::max(1, solved["hammer"]);
  nlohmann::json summary = {{"bench", "coq_suite"},
                            {"theorems", suite->size()},
                            {"budget_s", absl::ToDoubleSeconds(budget)},
                            {"wall_s", absl::ToDoubleSeconds(absl::Now() - start)}};
  std::printf("\n%-14s %8s %10s %10s\n", "config", "solved", "median_s", "vs_hammer");
  for (const std::string& config : configs) {
    double ratio = solved[config] / hammer_solved;
    double median = Median(solved_times[config]);
    std::printf("%-14s %8d %10.2f %9.2fx\n", config.c_str(), solved[config], median, ratio);
    summary[config] = {{"solved", solved[config]}, {"median_s", median}, {"ratio_vs_hammer", ratio}};
  }
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace thor::coq

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thor::coq::Main();
}
