// ProverSession: one interactive prover process (or a connection to one)
// working on one theorem. Implemented by each prover bridge (provers/ lists them).
#ifndef THOR_SEARCH_PROVER_H_
#define THOR_SEARCH_PROVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "search/types.h"

namespace thor {

// One hypothesis of a goal as the prover displays it: "x, y : nat" has two
// names, a local definition "n := 3 : nat" a body.
struct GoalHypothesis {
  std::vector<std::string> names;
  std::string type;
  std::string body;  // Empty unless a local definition.
};

// One goal of a proof state, split into hypotheses and conclusion as far as
// the bridge parses its prover's display.
struct StructuredGoal {
  std::vector<GoalHypothesis> hypotheses;
  std::string conclusion;
};

// A step in getting a session's prover ready, for a user waiting on a cold
// start. Phases, in the order they usually come: "starting_prover",
// "loading_theorem", "hammer_loading" (cheap steps run while the hammer
// loads in the background), "hammer_ready".
struct ProverProgress {
  std::string phase;
  std::string message;  // For people; may be empty.
};
using ProverProgressCallback = std::function<void(const ProverProgress&)>;

// A session is used by one thread at a time; the search runs several sessions
// on the same theorem to apply steps in parallel. Outcomes of steps are typed:
// no caller ever searches prover text for "error".
class ProverSession {
 public:
  virtual ~ProverSession() = default;

  // Loads `theorem` (its imports, context and statement) and returns the
  // initial proof state (steps empty). Returns InvalidArgument if the prover
  // rejects the context or statement (the message quotes the prover),
  // Unavailable if the prover cannot be started, DeadlineExceeded if loading
  // took longer than `timeout`.
  // REQUIRES: called once, before any other method.
  virtual absl::StatusOr<ProofState> Start(const Theorem& theorem,
                                           absl::Duration timeout) = 0;

  // Applies `step` to `from` and returns the typed outcome. `from` may come
  // from any session started on the same theorem: the session returns to it
  // by its own handle or by replaying `from.steps`. Steps that would make a
  // proof unsound or leave the proof (sorry, admit, Admitted, code execution)
  // are refused with kRefused without reaching the prover. The time limit is
  // enforced by the operating system as well as inside the prover; after
  // kTimeout or kProverLost the session is usable again (it restarted its
  // process if it had to).
  // REQUIRES: Start() succeeded.
  virtual StepResult Apply(const ProofState& from, const std::string& step,
                           absl::Duration timeout) = 0;

  // Runs the hammer on the goal of `from`: exports the goal and candidate
  // facts, runs premise selection and the ATP portfolio (or the prover's
  // native hammer), reconstructs a step from the premises found and applies
  // it. Never takes longer than `timeout` plus a small grace period; no ATP
  // process outlives the call.
  // REQUIRES: Start() succeeded.
  virtual HammerStepResult Hammer(const ProofState& from,
                                  absl::Duration timeout) = 0;

  // Stops whatever the session runs now (a step, a hammer call) from another
  // thread; the call in progress returns soon with kTimeout or an error.
  // Safe to call at any time, from any thread.
  virtual void Interrupt() = 0;

  // Receives the session's ProverProgress reports. They are made on the
  // thread of the call in progress (Start, Apply or Hammer), never after it
  // returned, so the callback may take the caller's locks that are not held
  // around those calls. Sessions with nothing to report ignore it.
  // REQUIRES: called before Start().
  virtual void SetProgressCallback(ProverProgressCallback /*callback*/) {}
};

// Creates sessions for one prover. Thread-safe.
class ProverBackend {
 public:
  virtual ~ProverBackend() = default;

  // The prover's name as in Theorem::prover (its module's name, provers/).
  virtual std::string Name() const = 0;

  // A new, unstarted session. Unavailable if the prover cannot run here
  // (binary missing: the message says how to install it).
  virtual absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() = 0;

  // Keeps `processes` prover processes started ahead of need from now on
  // (refilled in the background as sessions take them), so that a new
  // session starts at once. A long-running server calls it once; 0 stops
  // pre-starting. Backends without processes to keep ignore it.
  virtual void KeepWarm(int /*processes*/) {}

  // Whether `step` may be sent to this prover. The bridge owns the rules and
  // they are an allow-list: a step is proof steps only (tactic sentences,
  // proof methods, bullets and braces, as the prover has them), and anything
  // else (a command, an attribute, a cheat such as admit/sorry) is refused
  // with PermissionDenied whose message names what was refused and why.
  // The search calls this before any session sees a step; sessions and
  // Recheck call it again. Cheap and thread-safe.
  virtual absl::Status CheckStep(absl::string_view step) const = 0;

  // Validates a theorem's inputs as data before any prover sees them:
  // imports are module names, the statement is one term (or one theorem
  // sentence of the prover), and each context sentence is classified, with
  // commands that touch files, load code or switch kernel checks off
  // refused. InvalidArgument naming the field and the reason; messages never
  // quote more than a short excerpt of the input. Thread-safe.
  virtual absl::Status ValidateTheorem(const Theorem& theorem) const = 0;

  // Re-checks a complete proof of `theorem` (its steps in order) in a fresh
  // prover process, from a file the bridge assembles itself, within
  // `timeout`. kPassed only if the prover accepts the proof AND the kernel
  // reports that the theorem rests on nothing outside
  // `theorem.allowed_axioms` AND the theorem proved is the statement asked;
  // `axioms` then lists what it rests on (allowed ones) and `checkers` which
  // checkers accepted it.
  virtual RecheckResult Recheck(const Theorem& theorem,
                                const std::vector<std::string>& steps,
                                absl::Duration timeout) = 0;

  // Renders `steps` as the text a user pastes after the statement.
  virtual std::string ProofText(const std::vector<std::string>& steps) const = 0;

  // The inverse of ProofText: the steps of a proof given as one text (what
  // ProofText returned, or what a user pastes after the statement). Each
  // step passes CheckStep. InvalidArgument (or PermissionDenied for a step
  // that is not allowed) otherwise.
  virtual absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view text) const = 0;

  // The goals of a state's display (ProofState::text), split into
  // hypotheses and conclusions where the bridge can parse its prover's
  // display. The default parses nothing: one goal whose conclusion is the
  // whole text (no goal for an empty text), so a bridge without a parser
  // still serves sessions. Cheap and thread-safe.
  virtual std::vector<StructuredGoal> ParseGoals(const std::string& state_text) const {
    if (state_text.find_first_not_of(" \t\r\n") == std::string::npos) return {};
    StructuredGoal whole;
    whole.conclusion = state_text;
    return {whole};
  }
};

}  // namespace thor

#endif  // THOR_SEARCH_PROVER_H_
