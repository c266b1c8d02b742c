// bench/coq_suite: coq-stdlib theorems, one wall budget per theorem, side by
// side in one process: CoqHammer's `hammer` alone, Thor's best-first search
// with the heuristic policy + the native hammer, and with the external
// hammer (CoqHammer export -> Thor's portfolio -> sauto-family replay), and
// (issue 15) with the learned k-NN policy (--knn_model) + the external hammer,
// and the same policy in the bootstrapping setting (--knn_boot_model: a model
// trained with --own_file_only, so a held-out theorem also sees the proofs
// before it in its own file), with and without learnt premises
// (thor_knn_boot_nohints; --knn_hints), and with the probe on a session of
// its own beside the search (thor_knn_boot_alongside).
// A theorem counts as solved only if coqc re-checks the proof. Prints one
// line per theorem and configuration, a table, for the pairs it can (k-NN
// against the heuristic policy, hints against none) the theorems only one
// side solved with the exact McNemar p, and ends with ONE JSON line.
//
// Every configuration gets the same wall budget per theorem and a run that
// ends past it (plus --slack_s) does not count. With --out every run is
// written as one JSON line as soon as it ends; --resume reads that file
// back, skips the runs it holds and counts them in the totals.
//
// Where the time goes: the JSON counts each Thor configuration's proofs of
// more than one step (multi_step_proofs); --trace_dir writes every Thor
// search's tree (each try's step, outcome, start and duration);
// --hammer_timeout_s caps each hammer call (by default the first one may use
// all the time left); --pipelined runs the searches pipelined instead of in
// Thor's sequential order. --knn_probe_s sets the k-NN policy's probe phase
// (KnnPolicyOptions::probe_time: a search with the learned steps only, under
// a short step limit, then the usual search with what is left of the same
// budget; 0: none).
//
//   coq_suite --sample=100 --budget_s=6 [--out=runs.jsonl [--resume]]
//   coq_suite --selection=heldout --sample=200 --configs=hammer,thor_external,thor_knn
//             --knn_model=train.knn
//   coq_suite --selection=heldout --sample=200 --configs=thor_external,thor_knn_boot
//             --knn_boot_model=boot.knn
//   coq_suite --selection=training --sample=80 --configs=thor_knn_boot,thor_knn_boot_nohints
//             --knn_boot_model=boot.knn --knn_hints=4
#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_heuristics.h"
#include "coq_bridge/hammer_atp.h"
#include "coq_bridge/stdlib_suite.h"
#include "eval/stats.h"
#include "lm_client/heuristic_policy.h"
#include "lm_client/knn_policy.h"
#include "provers/provers.h"
#include "search/best_first.h"

ABSL_FLAG(int, sample, 100, "coq-stdlib theorems, spread evenly over the selection");
ABSL_FLAG(int, sample_offset, 0,
          "shift of the sample's indices; 3 with --sample=100 gives a sample disjoint from offset "
          "0's (for tuning)");
ABSL_FLAG(double, budget_s, 10, "wall budget per theorem and configuration (seconds)");
ABSL_FLAG(std::string, out, "", "also write one JSON object per run to this file");
ABSL_FLAG(bool, resume, false, "keep the runs already in --out and run only the missing ones");
ABSL_FLAG(double, slack_s, 1.0, "a run that ends later than its budget plus this does not count");
ABSL_FLAG(double, step_timeout_s, 0.6,
          "Thor's per-step limit for the policy's cheap tactics (the hammer gets the rest)");
ABSL_FLAG(double, hammer_timeout_s, 0,
          "Thor's limit per hammer call in a search (0: the whole budget, so the first hammer call "
          "may use all the time left); CoqHammer alone always gets the whole budget");
ABSL_FLAG(double, knn_probe_s, -1,
          "k-NN configurations: the policy's probe phase, a search of this many seconds (after "
          "the theorem loads) with the learned steps only (no cheap steps, no hammer; "
          "--knn_probe_step_s per step), then the usual search with the time left; 0: none; "
          "negative: the policy's default (KnnPolicyOptions::kDefaultProbeTime)");
ABSL_FLAG(double, knn_probe_step_s, 0.1, "the probe's limit per step");
ABSL_FLAG(double, native_atp_share, thor::coq::CoqConfig().native_atp_share,
          "the native hammer's ATPLimit as a share of a call's limit (CoqConfig::"
          "native_atp_share), for CoqHammer alone and thor_native");
ABSL_FLAG(bool, pipelined, false,
          "run Thor's searches pipelined (two prover calls in flight, one of them may be the "
          "hammer, steps taken best first across the tree) instead of Thor's sequential order");
ABSL_FLAG(std::string, trace_dir, "",
          "write each Thor search's tree (SearchResult::trace_json; a probe phase's tree is its "
          "\"probe\" member) to <dir>/<config>.<n>.json, n the theorem's place in the sample "
          "(debugging; traces cost the search some time)");
ABSL_FLAG(std::vector<std::string>, only, {},
          "run only theorems whose name contains one of these (comma-separated; debugging, or "
          "a list of theorems to re-run)");
ABSL_FLAG(std::string, configs, "hammer,thor_native,thor_external",
          "configurations to run (also thor_knn: the k-NN policy of --knn_model + the external "
          "hammer; thor_knn_online: the same, learning online from the proofs it finds; "
          "thor_knn_boot: the k-NN policy of --knn_boot_model + the external hammer; "
          "thor_knn_boot_nohints: the same with --knn_hints=0; thor_knn_boot_alongside: "
          "thor_knn_boot with the probe on a prover session of its own beside the search "
          "proper, which keeps the whole budget; thor_knn_boot_noparts: thor_knn_boot with "
          "--knn_component_weight=0, no parts of compound steps as steps of their own; "
          "thor_knn_boot_norests: thor_knn_boot with --knn_proof_rests=0; thor_knn_boot_rests: "
          "thor_knn_boot with 4 rests of neighbours' proofs in the probe; thor_knn_boot_reststeps: "
          "thor_knn_boot with a step limit for each step of a rest, not one for the whole rest; "
          "thor_knn_boot_adaptrests: thor_knn_boot with rests in the goal's own local names; "
          "thor_external_policyorder, thor_knn_boot_policyorder: the same as without the suffix, "
          "with the hammer where the policy ranks it at the root (root_hammer_place -1, the "
          "default; to compare with --root_hammer_place=N); thor_external_hypind, "
          "thor_knn_boot_hypind: the same as without the suffix, with Coq's cheap steps "
          "extended by coq::CoqProofInductions (induction on a proof of an inductive "
          "predicate); thor_knn_boot_ctx: thor_knn_boot with --knn_context_lemmas lemmas of the "
          "theorem's own context by the goal's head (KnnPolicyOptions::context_lemmas))");
ABSL_FLAG(int, root_hammer_place, thor::SearchConfig::kDefaultRootHammerPlace,
          "the Thor configurations' SearchConfig::root_hammer_place (the hammer after at most "
          "this many of the root's other candidates; negative: the policy's order, the default; "
          "*_policyorder: always -1)");
ABSL_FLAG(std::string, selection, "classic",
          "coq-stdlib files: classic (List, Arith, Bool: the README's earlier rows), wide (every "
          "folder of the suite), heldout (the held-out split only), training (wide less the held-out "
          "files: where policies are tuned)");
ABSL_FLAG(std::string, knn_model, "", "thor train's model for thor_knn");
ABSL_FLAG(std::string, knn_boot_model, "",
          "thor train --own_file_only's model for thor_knn_boot (with the leakage rule a "
          "held-out theorem sees its own file's earlier proofs: bootstrapping)");
ABSL_FLAG(std::string, knn_mix, "",
          "the k-NN configurations' ranking: a weight in [0, 1] (KnnPolicyOptions::mix), "
          "learned_first, or empty for the policy's default");
ABSL_FLAG(int, knn_hints, thor::KnnPolicyOptions::kDefaultHintLemmas,
          "the k-NN configurations' learnt premises: lemmas of the neighbours' tactics handed to "
          "`sauto use:` (KnnPolicyOptions::hint_lemmas; 0 none)");
ABSL_FLAG(int, knn_apply, thor::KnnPolicyOptions::kDefaultApplyLemmas,
          "the k-NN configurations' neighbours' theorems tried as lemmas "
          "(KnnPolicyOptions::apply_lemmas; 0 none)");
ABSL_FLAG(int, knn_context_lemmas, 4,
          "thor_knn_boot_ctx's KnnPolicyOptions::context_lemmas (the other k-NN configurations "
          "keep the policy's default, kDefaultContextLemmas)");
ABSL_FLAG(double, knn_similarity_power, thor::KnnPolicyOptions::kDefaultSimilarityPower,
          "the k-NN configurations' KnnPolicyOptions::similarity_power");
ABSL_FLAG(double, knn_own_file_weight, thor::KnnPolicyOptions::kDefaultOwnFileWeight,
          "the k-NN configurations' KnnPolicyOptions::own_file_weight");
ABSL_FLAG(double, knn_component_weight, thor::KnnPolicyOptions::kDefaultComponentWeight,
          "the k-NN configurations' KnnPolicyOptions::component_weight (but "
          "thor_knn_boot_noparts: 0)");
ABSL_FLAG(int, knn_proof_rests, -1,
          "rests of neighbours' proofs proposed first (KnnPolicyOptions::proof_rests; -1: "
          "the policy's default, kDefaultProofRests with a model that holds the proofs' "
          "texts, else 0; thor_knn_boot_norests: 0, thor_knn_boot_rests: 4)");
ABSL_FLAG(bool, knn_leakage_safe, true,
          "thor_knn: a theorem sees no step of itself or of a later theorem in the model's order");

namespace thor::coq {
namespace {

struct Run {
  bool solved = false;
  double seconds = 0;
  std::string detail;
  double start_s = 0;  // Loading the theorem (context + statement).
  bool over_budget = false;  // Solved, but past budget + slack: not counted.
  int coqtop_starts = 0;     // Processes the pool started during the run.
  int proof_steps = 0;       // Steps of the proof found (Thor's searches).
  bool by_probe = false;     // Found by the k-NN policy's probe phase.
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
  const absl::Time h0 = absl::Now();
  HammerStepResult h = (*session)->Hammer(*s0, budget);
  run.seconds = absl::ToDoubleSeconds(absl::Now() - h0);
  if (h.step.kind != StepKind::kProofFinished) {
    run.detail = h.message.substr(0, 120);
    return run;
  }
  if (run.seconds > absl::ToDoubleSeconds(budget) + absl::GetFlag(FLAGS_slack_s)) {
    run.over_budget = true;
    run.detail = "over budget: " + h.step_text;
    return run;
  }
  RecheckResult check = backend.Recheck(thm, h.step.state.steps, absl::Seconds(120));
  run.solved = check.verdict == RecheckVerdict::kPassed;
  run.detail = run.solved ? h.step_text : "recheck: " + check.message.substr(0, 120);
  return run;
}

// How much work two threads get done at once against one, on this machine
// now: 2.0 on two free cores, about 1.0 where the two "cores" share one (an
// overcommitted virtual machine). Configurations that run two provers at
// once (a probe alongside the search, the ATP portfolio's two slices) gain
// only on the first; the figure goes with every run's numbers.
double ParallelSpeedup(uint64_t iterations) {
  auto spin = [iterations] {
    volatile uint64_t x = 0;
    for (uint64_t i = 0; i < iterations; ++i) x += i;
  };
  absl::Time t0 = absl::Now();
  spin();
  const double one = absl::ToDoubleSeconds(absl::Now() - t0);
  t0 = absl::Now();
  std::thread other(spin);
  spin();
  other.join();
  const double two = absl::ToDoubleSeconds(absl::Now() - t0);
  return two > 0 ? 2 * one / two : 0;
}

// Thor: best-first search with the heuristic policy, hammer token included:
// its cheap tactics first, each under a short limit, then the hammer with
// what is left. The search counts loading the theorem in its wall time;
// `load` (what loading took in the hammer-alone run) is added so that both
// get the same budget for proving.
Run ThorSearch(CoqBackend& backend, Policy& policy, const Theorem& thm, absl::Duration budget,
               absl::Duration load, const std::string& trace_path, int root_hammer_place) {
  SearchConfig config;
  config.root_hammer_place = root_hammer_place;
  config.sequential = !absl::GetFlag(FLAGS_pipelined);
  if (!config.sequential) {
    config.max_inflight_steps = 2;  // One hammer at most (max_inflight_hammers 0).
    config.max_inflight_queries = 1;
  }
  config.seed = 1;
  config.wall_time = budget + load;
  config.step_timeout = absl::Seconds(absl::GetFlag(FLAGS_step_timeout_s));
  config.hammer_timeout = absl::GetFlag(FLAGS_hammer_timeout_s) > 0
                              ? absl::Seconds(absl::GetFlag(FLAGS_hammer_timeout_s))
                              : budget;
  config.start_timeout = absl::Seconds(120);
  config.recheck_timeout = absl::Seconds(120);
  config.record_trace = !absl::GetFlag(FLAGS_trace_dir).empty();
  SearchResult r = RunBestFirstSearch(backend, policy, thm, config, nullptr, nullptr);
  if (!trace_path.empty()) {
    std::ofstream trace(trace_path);
    trace << r.trace_json << "\n";
    if (!trace) std::fprintf(stderr, "coq_suite: cannot write %s\n", trace_path.c_str());
  }
  Run run;
  run.solved = r.status == SearchStatus::kProved;
  run.proof_steps = static_cast<int>(r.proof.size());
  run.by_probe = run.solved && absl::StartsWith(r.message, kFoundByProbe);
  run.seconds = r.stats.wall_s;
  if (run.solved && run.seconds > absl::ToDoubleSeconds(config.wall_time) +
                                      absl::GetFlag(FLAGS_slack_s)) {
    run.solved = false;
    run.over_budget = true;
    run.detail = "over budget: " + r.proof_text.substr(0, 100);
    return run;
  }
  run.detail = run.solved ? (run.by_probe ? "probe: " : "") + r.proof_text.substr(0, 120)
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
  const std::string selection = absl::GetFlag(FLAGS_selection);
  absl::StatusOr<StdlibSelection> parsed = ParseStdlibSelection(selection);
  if (!parsed.ok()) {
    std::fprintf(stderr, "coq_suite: --selection: %s\n",
                 std::string(parsed.status().message()).c_str());
    return 2;
  }
  options.selection = *parsed;
  options.sample = absl::GetFlag(FLAGS_sample);
  options.sample_offset = absl::GetFlag(FLAGS_sample_offset);
  absl::StatusOr<std::vector<Theorem>> suite = StdlibSuite(options);
  if (!suite.ok()) {
    std::fprintf(stderr, "coq_suite: %s\n", std::string(suite.status().message()).c_str());
    return 1;
  }
  StdlibSuiteOptions whole = options;
  whole.sample = 0;
  absl::StatusOr<std::vector<Theorem>> all = StdlibSuite(whole);
  std::printf("coq_suite: %s selection, %zu theorems, %zu in the sample\n", selection.c_str(),
              all.ok() ? all->size() : 0, suite->size());
  const absl::Duration budget = absl::Seconds(absl::GetFlag(FLAGS_budget_s));
  const double speedup = ParallelSpeedup(300'000'000);
  std::printf("coq_suite: two threads do %.2fx the work of one on this machine now "
              "(2.00: two free cores; sampled again before each theorem)\n", speedup);
  std::vector<double> speedups;
  CoqConfig native;
  // One process in use and one spare per configuration: a coqtop lost to a
  // hung step or hammer is replaced by the spare, whose successor warms up
  // in the background.
  native.max_idle_processes = 2;
  native.spare_processes = 1;
  // The suite's libraries: their features are extracted once per process,
  // before the clock starts, instead of in the first hammer call on each.
  native.warmup_imports = "Require Import Arith List Bool.";
  native.native_atp_share = absl::GetFlag(FLAGS_native_atp_share);
  CoqConfig external = native;
  external.hammer_mode = HammerMode::kExternal;
  CoqBackend hammer_backend(native);
  CoqBackend native_backend(native);
  CoqBackend external_backend(external, MakeHammerAtpRunner());
  // Processes of its own, as the k-NN configurations have (below).
  CoqBackend policyorder_backend(external, MakeHammerAtpRunner());
  // Each k-NN configuration gets processes of its own (below): with kept
  // contexts (reuse_context), a configuration run right after another on
  // the same theorem would find that theorem's whole preamble loaded.
  std::map<std::string, std::unique_ptr<CoqBackend>> knn_backends;
  // A probe alongside the search holds a second process for the whole
  // search: room for both and the spare.
  CoqConfig two_sessions = external;
  two_sessions.max_idle_processes = 3;
  CoqBackend alongside_backend(two_sessions, MakeHammerAtpRunner());
  HeuristicPolicy heuristic(AllProverHeuristics());
  // The `_hypind` configurations: Coq's cheap steps with CoqProofInductions
  // (induction on a proof of an inductive predicate), processes of their own.
  ProverHeuristicsMap hypind_heuristics = AllProverHeuristics();
  hypind_heuristics["coq"] = std::make_shared<CoqHeuristics>(/*proof_inductions=*/true);
  HeuristicPolicy heuristic_hypind(hypind_heuristics);
  CoqBackend hypind_backend(external, MakeHammerAtpRunner());
  // By configuration: thor_knn, thor_knn_online, thor_knn_boot(_nohints,
  // _alongside, _noparts, _norests, _rests, _reststeps, _adaptrests,
  // _policyorder, _hypind).
  std::map<std::string, std::unique_ptr<KnnPolicy>> knn;
  // Warm pools before the clock starts: each coqtop fills CoqHammer's
  // feature cache once (30-60 s on a loaded machine).
  const std::vector<std::string> configs =
      absl::StrSplit(absl::GetFlag(FLAGS_configs), ',', absl::SkipEmpty());
  auto wanted = [&configs](const std::string& name) {
    return std::find(configs.begin(), configs.end(), name) != configs.end();
  };
  static const char* const kConfigs[] = {
      "hammer", "thor_native", "thor_external", "thor_knn", "thor_knn_online", "thor_knn_boot",
      "thor_knn_boot_nohints", "thor_knn_boot_alongside", "thor_knn_boot_noparts",
      "thor_knn_boot_norests", "thor_knn_boot_rests", "thor_knn_boot_reststeps",
      "thor_knn_boot_adaptrests", "thor_external_policyorder", "thor_knn_boot_policyorder",
      "thor_external_hypind", "thor_knn_boot_hypind", "thor_knn_boot_ctx"};
  for (const std::string& config : configs) {
    if (std::find(std::begin(kConfigs), std::end(kConfigs), config) == std::end(kConfigs)) {
      std::fprintf(stderr, "coq_suite: unknown configuration %s (see --helpfull, --configs)\n",
                   config.c_str());
      return 2;
    }
  }
  for (const std::string config :
       {"thor_knn", "thor_knn_online", "thor_knn_boot", "thor_knn_boot_nohints",
        "thor_knn_boot_alongside", "thor_knn_boot_noparts", "thor_knn_boot_norests",
        "thor_knn_boot_rests", "thor_knn_boot_reststeps", "thor_knn_boot_adaptrests",
        "thor_knn_boot_policyorder", "thor_knn_boot_hypind", "thor_knn_boot_ctx"}) {
    if (!wanted(config)) continue;
    const bool boot = absl::StartsWith(config, "thor_knn_boot");
    KnnPolicyOptions ko;
    ko.model_path = absl::GetFlag(boot ? FLAGS_knn_boot_model : FLAGS_knn_model);
    ko.leakage_safe = absl::GetFlag(FLAGS_knn_leakage_safe);
    ko.fallback = config == "thor_knn_boot_hypind" ? hypind_heuristics : AllProverHeuristics();
    ko.learn_online = config == "thor_knn_online";
    ko.hint_lemmas = config == "thor_knn_boot_nohints" ? 0 : absl::GetFlag(FLAGS_knn_hints);
    ko.apply_lemmas = absl::GetFlag(FLAGS_knn_apply);
    if (config == "thor_knn_boot_ctx") ko.context_lemmas = absl::GetFlag(FLAGS_knn_context_lemmas);
    ko.similarity_power = absl::GetFlag(FLAGS_knn_similarity_power);
    ko.own_file_weight = absl::GetFlag(FLAGS_knn_own_file_weight);
    if (const std::string mix = absl::GetFlag(FLAGS_knn_mix); mix == "learned_first") {
      ko.mix.reset();
    } else if (!mix.empty()) {
      double w = -1;
      if (!absl::SimpleAtod(mix, &w) || w < 0 || w > 1) {
        std::fprintf(stderr, "coq_suite: --knn_mix must be a number in [0, 1] or learned_first\n");
        return 2;
      }
      ko.mix = w;
    }
    if (absl::GetFlag(FLAGS_knn_probe_s) >= 0) {
      ko.probe_time = absl::Seconds(absl::GetFlag(FLAGS_knn_probe_s));
    }
    ko.probe_step_timeout = absl::Seconds(absl::GetFlag(FLAGS_knn_probe_step_s));
    ko.probe_alongside = config == "thor_knn_boot_alongside";
    ko.component_weight =
        config == "thor_knn_boot_noparts" ? 0.0 : absl::GetFlag(FLAGS_knn_component_weight);
    if (config == "thor_knn_boot_norests") {
      ko.proof_rests = 0;
    } else if (config == "thor_knn_boot_rests") {
      ko.proof_rests = 4;
    } else if (absl::GetFlag(FLAGS_knn_proof_rests) >= 0) {
      ko.proof_rests = absl::GetFlag(FLAGS_knn_proof_rests);
    }
    ko.rest_limit_per_step = config == "thor_knn_boot_reststeps";
    ko.adapt_rests = config == "thor_knn_boot_adaptrests";
    absl::StatusOr<std::unique_ptr<KnnPolicy>> k = KnnPolicy::Create(ko);
    if (!k.ok()) {
      std::fprintf(stderr, "coq_suite: %s needs --%s (thor train): %s\n", config.c_str(),
                   boot ? "knn_boot_model" : "knn_model",
                   std::string(k.status().message()).c_str());
      return 2;
    }
    knn[config] = std::move(*k);
    knn_backends[config] = std::make_unique<CoqBackend>(external, MakeHammerAtpRunner());
  }
  auto backend_of = [&](const std::string& config) -> CoqBackend& {
    return config == "hammer"             ? hammer_backend
           : config == "thor_native"      ? native_backend
           : config == "thor_knn_boot_alongside" ? alongside_backend
           : config == "thor_external_policyorder" ? policyorder_backend
           : config == "thor_external_hypind" ? hypind_backend
           : (knn.count(config) > 0)         ? *knn_backends[config]
                                          : external_backend;
  };
  for (const std::string& config : configs) {
    CoqBackend* b = &backend_of(config);
    absl::Status s = b->Prewarm(b == &alongside_backend ? 3 : 2, absl::Seconds(600));
    if (!s.ok()) std::fprintf(stderr, "coq_suite: prewarm: %s\n", std::string(s.message()).c_str());
  }
  if (const std::vector<std::string> only = absl::GetFlag(FLAGS_only); !only.empty()) {
    std::vector<Theorem> picked;
    for (const Theorem& t : *suite) {
      for (const std::string& o : only) {
        if (absl::StrContains(t.name, o)) {
          picked.push_back(t);
          break;
        }
      }
    }
    *suite = picked;
  }
  std::map<std::string, std::vector<double>> solved_times;
  std::map<std::string, int> solved;
  std::map<std::string, int> over_budget;
  std::map<std::string, int> coqtop_starts;  // A replaced process costs a warm-up.
  // Against `hammer` alone, theorem by theorem: solved here but not by
  // `hammer`, and the reverse; and proofs that take an induction step.
  std::map<std::string, int> only_here, only_hammer, with_induction;
  // Proofs of more than one step (the search went past the root), this run
  // only (not from --resume's records).
  std::map<std::string, int> multi_step;
  std::map<std::string, int> probe_proofs;  // Found by the k-NN probe phase, likewise.
  std::map<std::string, std::vector<size_t>> solved_by;  // Theorem indices, ascending.
  // Runs already recorded (--resume), by "theorem\tconfig".
  std::map<std::string, Run> recorded;
  const std::string out_path = absl::GetFlag(FLAGS_out);
  if (absl::GetFlag(FLAGS_resume) && !out_path.empty()) {
    std::ifstream in(out_path);
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object() || !j.contains("theorem") || !j.contains("config")) continue;
      Run r;
      r.solved = j.value("solved", false);
      r.seconds = j.value("seconds", 0.0);
      r.detail = j.value("detail", std::string());
      r.start_s = j.value("start_s", 0.0);
      r.over_budget = j.value("over_budget", false);
      r.coqtop_starts = j.value("coqtop_starts", 0);
      if (j.value("budget_s", -1.0) != absl::ToDoubleSeconds(budget)) continue;
      recorded[j["theorem"].get<std::string>() + "\t" + j["config"].get<std::string>()] = r;
    }
  }
  std::ofstream out;
  if (!out_path.empty()) {
    out.open(out_path, absl::GetFlag(FLAGS_resume) ? std::ios::app : std::ios::trunc);
  }
  int resumed = 0;
  const absl::Time start = absl::Now();
  for (size_t i = 0; i < suite->size(); ++i) {
    const Theorem& thm = (*suite)[i];
    // About 0.1 s: how the host shares its cores now moves from minute to
    // minute, and with it what two provers at once are worth.
    speedups.push_back(ParallelSpeedup(50'000'000));
    double load_s = 0;
    std::map<std::string, bool> solved_here;
    for (const std::string& config : configs) {
      auto found = recorded.find(thm.name + "\t" + config);
      const bool from_record = found != recorded.end();
      Run run;
      if (from_record) {
        run = found->second;
        ++resumed;
      } else {
        const absl::Duration load = absl::Seconds(load_s);
        CoqBackend& backend = backend_of(config);
        const int started = backend.pool().started();
        Policy& policy = (knn.count(config) > 0)           ? static_cast<Policy&>(*knn[config])
                         : config == "thor_external_hypind" ? static_cast<Policy&>(heuristic_hypind)
                                                            : static_cast<Policy&>(heuristic);
        const std::string trace_path =
            absl::GetFlag(FLAGS_trace_dir).empty()
                ? std::string()
                : absl::StrCat(absl::GetFlag(FLAGS_trace_dir), "/", config, ".", i + 1, ".json");
        if (config == "hammer") {
          run = HammerAlone(backend, thm, budget);
        } else {
          run = ThorSearch(backend, policy, thm, budget, load, trace_path,
                           absl::EndsWith(config, "_policyorder")
                               ? -1
                               : absl::GetFlag(FLAGS_root_hammer_place));
        }
        run.coqtop_starts = backend.pool().started() - started;
      }
      coqtop_starts[config] += run.coqtop_starts;
      if (config == "hammer") load_s = run.start_s;
      solved_here[config] = run.solved;
      if (run.solved) solved_by[config].push_back(i);
      if (run.solved && config != "hammer" && absl::StrContains(run.detail, "\n  induction ")) {
        ++with_induction[config];
      }
      if (run.solved && run.proof_steps > 1) ++multi_step[config];
      if (run.solved && run.by_probe) ++probe_proofs[config];
      if (run.solved) {
        ++solved[config];
        solved_times[config].push_back(run.seconds);
      }
      if (run.over_budget) ++over_budget[config];
      std::printf("[%3zu/%zu] %-14s %-45s %s %6.2fs %s%s%s\n", i + 1, suite->size(),
                  config.c_str(), thm.name.c_str(), run.solved ? "SOLVED" : "failed", run.seconds,
                  from_record ? "(recorded) " : "",
                  run.coqtop_starts > 0 ? absl::StrCat("[+", run.coqtop_starts, " coqtop] ").c_str() : "",
                  run.detail.c_str());
      std::fflush(stdout);
      if (out.is_open() && !from_record) {
        out << nlohmann::json{{"theorem", thm.name},   {"config", config},
                              {"solved", run.solved},  {"seconds", run.seconds},
                              {"start_s", run.start_s}, {"over_budget", run.over_budget},
                              {"coqtop_starts", run.coqtop_starts},
                              {"budget_s", absl::ToDoubleSeconds(budget)},
                              {"parallel_speedup", speedups.back()},
                              {"detail", run.detail}}
                   .dump()
            << "\n";
        out.flush();
      }
    }
    if (solved_here.count("hammer") == 0) continue;
    for (const auto& [config, ok] : solved_here) {
      only_here[config] += ok && !solved_here["hammer"];
      only_hammer[config] += !ok && solved_here["hammer"];
    }
  }
  const double hammer_solved = std::max(1, solved["hammer"]);
  std::pair<double, double> speedup_range;  // Lowest and highest sample.
  if (!speedups.empty()) {
    const auto [lo, hi] = std::minmax_element(speedups.begin(), speedups.end());
    speedup_range = {*lo, *hi};
  }
  // The rests each k-NN configuration proposes, resolved against its model.
  nlohmann::json rests_by_config = nlohmann::json::object();
  for (const auto& [config, policy] : knn) rests_by_config[config] = policy->proof_rests();
  nlohmann::json summary = {{"bench", "coq_suite"},
                            {"theorems", suite->size()},
                            {"sample_offset", absl::GetFlag(FLAGS_sample_offset)},
                            {"selection", selection},
                            {"knn_model", absl::GetFlag(FLAGS_knn_model)},
                            {"knn_boot_model", absl::GetFlag(FLAGS_knn_boot_model)},
                            {"knn_mix", absl::GetFlag(FLAGS_knn_mix)},
                            {"budget_s", absl::ToDoubleSeconds(budget)},
                            {"step_timeout_s", absl::GetFlag(FLAGS_step_timeout_s)},
                            {"hammer_timeout_s", absl::GetFlag(FLAGS_hammer_timeout_s)},
                            {"pipelined", absl::GetFlag(FLAGS_pipelined)},
                            {"knn_probe_s", absl::GetFlag(FLAGS_knn_probe_s) >= 0
                                                ? absl::GetFlag(FLAGS_knn_probe_s)
                                                : absl::ToDoubleSeconds(
                                                      KnnPolicyOptions::kDefaultProbeTime)},
                            {"knn_probe_step_s", absl::GetFlag(FLAGS_knn_probe_step_s)},
                            {"native_atp_share", absl::GetFlag(FLAGS_native_atp_share)},
                            {"root_hammer_place", absl::GetFlag(FLAGS_root_hammer_place)},
                            {"knn_hints", absl::GetFlag(FLAGS_knn_hints)},
                            {"knn_apply", absl::GetFlag(FLAGS_knn_apply)},
                            {"knn_context_lemmas_ctx", absl::GetFlag(FLAGS_knn_context_lemmas)},
                            {"knn_similarity_power", absl::GetFlag(FLAGS_knn_similarity_power)},
                            {"knn_own_file_weight", absl::GetFlag(FLAGS_knn_own_file_weight)},
                            {"knn_component_weight", absl::GetFlag(FLAGS_knn_component_weight)},
                            {"knn_proof_rests", rests_by_config},
                            {"resumed_runs", resumed},
                            {"parallel_speedup", speedup},
                            {"parallel_speedup_per_theorem",
                             {{"min", speedup_range.first},
                              {"median", Median(speedups)},
                              {"max", speedup_range.second}}},
                            {"wall_s", absl::ToDoubleSeconds(absl::Now() - start)}};
  std::printf("\n%-14s %8s %10s %10s\n", "config", "solved", "median_s", "vs_hammer");
  for (const std::string& config : configs) {
    double ratio = solved[config] / hammer_solved;
    double median = Median(solved_times[config]);
    std::printf("%-14s %8d %10.2f %9.2fx\n", config.c_str(), solved[config], median, ratio);
    summary[config] = {{"solved", solved[config]}, {"median_s", median}, {"ratio_vs_hammer", ratio},
                       {"over_budget", over_budget[config]},
                       {"coqtop_starts", coqtop_starts[config]}};
    if (config != "hammer") summary[config]["multi_step_proofs"] = multi_step[config];
    // Proofs found within each whole second of the budget: how the
    // configuration's proofs come in over time. Not what a run with that
    // smaller budget would give: a search plans by its budget (the hammer's
    // export needs 1.5 s; the probe's share).
    nlohmann::json within = nlohmann::json::object();
    std::string within_text;
    for (int t = 1; t <= static_cast<int>(std::ceil(absl::ToDoubleSeconds(budget))); ++t) {
      const int n = static_cast<int>(std::count_if(solved_times[config].begin(),
                                                   solved_times[config].end(),
                                                   [t](double s) { return s <= t; }));
      within[std::to_string(t)] = n;
      absl::StrAppend(&within_text, " ", t, "s:", n);
    }
    summary[config]["solved_within_s"] = within;
    std::printf("%-14s proofs within:%s\n", "", within_text.c_str());
    if (knn.count(config) > 0 && knn[config]->Probe().has_value()) {
      summary[config]["probe_proofs"] = probe_proofs[config];
    }
    if (config != "hammer" && wanted("hammer")) {
      std::printf("%-14s solved and not by hammer %d, by hammer and not here %d, "
                  "proofs with an induction step %d\n",
                  "", only_here[config], only_hammer[config], with_induction[config]);
      summary[config]["not_by_hammer"] = only_here[config];
      summary[config]["only_by_hammer"] = only_hammer[config];
      summary[config]["induction_proofs"] = with_induction[config];
    }
  }
  // Pairs: the ratio, the theorems only one side solved, and the exact
  // McNemar p of that split.
  struct Pair {
    const char* a;
    const char* b;
    const char* what;
    const char* key;
  };
  for (const Pair& pr : {Pair{"thor_knn", "thor_external", "learned / heuristic policy",
                              "knn_vs_heuristic"},
                         Pair{"thor_knn_boot", "thor_external",
                              "learned, bootstrapping / heuristic", "knn_boot_vs_heuristic"},
                         Pair{"thor_knn_boot", "thor_knn_boot_nohints",
                              "learnt premises / none", "hints_vs_nohints"},
                         Pair{"thor_knn_boot_alongside", "thor_knn_boot",
                              "probe alongside / probe first", "alongside_vs_first"},
                         Pair{"thor_knn_boot", "thor_knn_boot_noparts",
                              "parts of compound steps / none", "parts_vs_none"},
                         Pair{"thor_knn_boot_noparts", "thor_external",
                              "learned without parts / heuristic", "noparts_vs_heuristic"},
                         Pair{"thor_knn_boot", "thor_knn_boot_norests",
                              "rests of neighbours' proofs / none", "rests_vs_none"},
                         Pair{"thor_knn_boot_rests", "thor_knn_boot",
                              "4 rests of neighbours' proofs / the default", "rests4_vs_default"},
                         Pair{"thor_knn_boot_reststeps", "thor_knn_boot",
                              "a step limit per step of a rest / one per rest",
                              "reststeps_vs_one"},
                         Pair{"thor_knn_boot_adaptrests", "thor_knn_boot",
                              "rests in the goal's names / as written", "adaptrests_vs_written"},
                         Pair{"thor_external", "thor_external_policyorder",
                              "the root's hammer by its place / the policy's order",
                              "roothammer_vs_policyorder_heuristic"},
                         Pair{"thor_knn_boot", "thor_knn_boot_policyorder",
                              "the root's hammer by its place / the policy's order",
                              "roothammer_vs_policyorder_knn"},
                         Pair{"thor_external_hypind", "thor_external",
                              "induction on proofs / none", "hypind_vs_none_heuristic"},
                         Pair{"thor_knn_boot_hypind", "thor_knn_boot",
                              "induction on proofs / none", "hypind_vs_none_knn"},
                         Pair{"thor_knn_boot_ctx", "thor_knn_boot",
                              "context lemmas by the goal's head / none", "ctx_vs_none"},
                         Pair{"thor_knn_boot_rests", "thor_external",
                              "learned with rests / heuristic", "rests_vs_heuristic"}}) {
    if (!wanted(pr.a) || !wanted(pr.b)) continue;
    const double r = solved[pr.a] / static_cast<double>(std::max(1, solved[pr.b]));
    std::vector<size_t> only_a, only_b;
    std::set_difference(solved_by[pr.a].begin(), solved_by[pr.a].end(), solved_by[pr.b].begin(),
                        solved_by[pr.b].end(), std::back_inserter(only_a));
    std::set_difference(solved_by[pr.b].begin(), solved_by[pr.b].end(), solved_by[pr.a].begin(),
                        solved_by[pr.a].end(), std::back_inserter(only_b));
    const int na = static_cast<int>(only_a.size()), nb = static_cast<int>(only_b.size());
    const double p = eval::McNemarExactP(na, nb);
    std::printf("%s / %s (%s): %.2fx; only %s %d, only %s %d, exact McNemar p %.3f\n", pr.a,
                pr.b, pr.what, r, pr.a, na, pr.b, nb, p);
    summary[pr.key] = r;
    summary[std::string(pr.key) + "_only_a"] = na;
    summary[std::string(pr.key) + "_only_b"] = nb;
    summary[std::string(pr.key) + "_mcnemar_p"] = p;
  }
  if (knn.count("thor_knn_online") > 0 && summary.contains("thor_knn_online")) {
    const KnnPolicy* knn_online = knn["thor_knn_online"].get();
    summary["thor_knn_online"]["online_steps"] = knn_online->online_steps();
    if (wanted("thor_knn")) {
      const double r =
          solved["thor_knn_online"] / static_cast<double>(std::max(1, solved["thor_knn"]));
      std::printf("thor_knn_online / thor_knn: %.2fx (%zu steps learnt online)\n", r,
                  knn_online->online_steps());
      summary["online_vs_knn"] = r;
    }
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
