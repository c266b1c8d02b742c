// Core types of a proof search, shared by the search, the policies and the
// prover bridges. Prover-agnostic; depends on Abseil only.
#ifndef THOR_SEARCH_TYPES_H_
#define THOR_SEARCH_TYPES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace thor {

// The options thor.v1.Theorem carries in fields of their own, keyed by the
// field's name: server/convert.cc (proto to domain) and eval/suite.cc
// (domain to proto) map them, the Isabelle bridge reads them.
inline constexpr char kSessionOption[] = "session";
inline constexpr char kWorkingDirectoryOption[] = "working_directory";

// A theorem's prover-specific settings (a logic to load, a folder to work
// in), by keys the prover's bridge owns and documents (the two above
// travel in the proto). Other provers ignore keys they do not know.
class TheoremOptions {
 public:
  // The value of `key`; "" when unset.
  const std::string& Get(std::string_view key) const;
  // Sets `key` to `value`; an empty value unsets it.
  void Set(std::string_view key, std::string value);
  bool empty() const { return values_.empty(); }
  // Every set key with its (non-empty) value, sorted by key.
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// A theorem to prove, in the terms of one interactive prover (mirrors
// thor.v1.Theorem).
struct Theorem {
  std::string prover;             // A prover module's name (provers/).
  std::string name;               // For logs and results.
  std::string context;            // Text before the statement.
  std::string statement;          // The statement as the prover reads it.
  std::string file_path;          // File holding the theorem, if any.
  std::vector<std::string> imports;
  TheoremOptions options;         // Prover-specific settings.
  // Axioms the proof may rest on, by the fully qualified names the prover's
  // kernel reports. Empty: none, the default.
  std::vector<std::string> allowed_axioms;
};

// A proof state that a search can come back to. `steps` is the path of step
// texts from the theorem's initial state (empty for the initial state), so a
// state reached in one ProverSession can be reached again in another by
// replaying it; `id` is a handle the session that produced the state may use
// to return to it cheaply.
struct ProofState {
  std::string id;
  std::vector<std::string> steps;
  std::string text;  // The prover's printed goals.
};

// How applying one step ended (mirrors thor.v1.StepOutcome.Kind).
enum class StepKind {
  kNewState,       // Applied; `state` is the new state.
  kProofFinished,  // Applied; no goals remain.
  kStepError,      // The prover rejected the step.
  kTimeout,        // Ran past its time limit; stopped.
  kProverLost,     // The prover process died or hung; the session replaced it.
  kRefused,        // Refused before the prover saw it (unsound or unsafe).
};

// Returns a stable lower-case name ("new_state", "step_error", ...).
const char* StepKindName(StepKind kind);

struct StepResult {
  StepKind kind = StepKind::kStepError;
  ProofState state;     // kNewState and kProofFinished: the state reached.
  std::string message;  // Errors, timeouts, refusals: why.
  absl::Duration elapsed;
};

// The hammer's outcome on one proof state.
struct HammerStepResult {
  StepResult step;              // The outcome of applying `step_text`.
  std::string step_text;        // Reconstructed step that was applied, or "".
  std::string prover;           // Winning slice, e.g. "cvc5/64".
  std::vector<std::string> premises;  // Premises used, by prover names.
  std::string message;          // Why it failed, when it did.
};

// Whether a fresh prover process accepted a complete proof.
enum class RecheckVerdict { kPassed, kFailed, kSkipped, kError };

struct RecheckResult {
  RecheckVerdict verdict = RecheckVerdict::kError;
  std::string message;
  absl::Duration elapsed;
  // kPassed: what the theorem rests on as the kernel reported it (axioms on
  // the theorem's allow-list; empty for a proof that rests on nothing).
  // kFailed because of assumptions: the ones that were not allowed.
  std::vector<std::string> axioms;
  // The checkers that accepted the proof, in order, by the names the
  // bridge gives them (a compiler, an assumptions query, a kernel checker).
  std::vector<std::string> checkers;
};

// Budgets and knobs of one best-first search. The defaults are the Thor
// paper's (queue 32, temperature 1.2, 300 model queries, 500 s, 10 s per step,
// 30 s per hammer call) and the 32 samples per query of its model server.
struct SearchConfig {
  int queue_size = 32;
  double temperature = 1.2;
  int max_model_queries = 300;
  absl::Duration wall_time = absl::Seconds(500);
  absl::Duration step_timeout = absl::Seconds(10);
  absl::Duration hammer_timeout = absl::Seconds(30);
  int samples_per_query = 32;
  int max_inflight_queries = 2;
  int max_inflight_steps = 2;
  bool sequential = false;     // Thor's one-call-at-a-time behaviour.
  uint64_t seed = 0;           // 0: pick one.
  // Seeded mode: the pipelined search issues its calls in a fixed order and
  // takes their results in that order (not as they arrive), so with a
  // nonzero seed and a deterministic policy and prover the exploration
  // order, the trace and the proof repeat run to run (timings aside). A slow
  // call holds back the results issued after it, so it pipelines less; off
  // by default. (Sequential searches are in order anyway.)
  bool reproducible = false;
  bool skip_recheck = false;
  std::string hammer_token = "<hammer>";

  // Additions used by RunBestFirstSearch (search/best_first.h).
  absl::Duration query_timeout = absl::Seconds(60);    // One model query.
  absl::Duration start_timeout = absl::Seconds(120);   // ProverSession::Start.
  absl::Duration recheck_timeout = absl::Seconds(60);  // ProverBackend::Recheck.
  absl::Duration progress_interval = absl::Seconds(1); // SearchObserver::OnProgress.
  // Hammer calls in flight at once; 0 means max(1, max_inflight_steps - 1),
  // so at least one session stays free for cheap steps.
  int max_inflight_hammers = 0;
  // Consecutive failed model queries after which the search ends with kError.
  int max_consecutive_policy_failures = 3;
  // Keep the search tree for SearchResult::trace_json.
  bool record_trace = true;
  // At most this long once the theorem is loaded (the root state exists),
  // within wall_time: loading is not counted. Used for a policy's probe
  // phase (Policy::Probe); infinite: wall_time alone.
  absl::Duration root_wall_time = absl::InfiniteDuration();
  // The latest place of the hammer among the root's candidates: after at
  // most this many of the root's other candidates (best first; 0: first of
  // all), so the theorem's own goal gets the hammer early, as CoqHammer
  // alone does; a policy that ranks it earlier keeps its order. Negative:
  // the policy's order (the default, the Thor paper's). 7 puts it, for Coq's
  // heuristic policy, after its fixed cheap steps (auto ... hauto) and
  // before its induction steps and any child state's steps: a default for
  // a moment in session 25, it lost proofs that take an induction step on
  // the held-out theorems (README, "The root's hammer early").
  int root_hammer_place = kDefaultRootHammerPlace;
  static constexpr int kDefaultRootHammerPlace = -1;
};

}  // namespace thor

#endif  // THOR_SEARCH_TYPES_H_
