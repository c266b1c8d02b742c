// Simulated proof worlds for tests and benchmarks: what a step does to a
// state, what the hammer does, and what a model would propose. Pure and
// deterministic; latency lives in sim_prover.h.
#ifndef THOR_TESTS_SEARCH_SIM_WORLD_H_
#define THOR_TESTS_SEARCH_SIM_WORLD_H_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "search/policy.h"
#include "search/types.h"

namespace thor::testing {

// base + uniform [0, jitter), plus uniform [0, tail) with tail_probability.
struct Latency {
  absl::Duration base = absl::ZeroDuration();
  absl::Duration jitter = absl::ZeroDuration();
  double tail_probability = 0;
  absl::Duration tail = absl::ZeroDuration();

  static Latency Fixed(absl::Duration d) { return {d}; }
  // Uniform in [lo, hi).
  static Latency Uniform(absl::Duration lo, absl::Duration hi) {
    return {lo, hi - lo};
  }
  Latency Scaled(double factor) const;
  absl::Duration Sample(std::mt19937_64& gen) const;
};

// What applying a step does.
struct SimOutcome {
  StepKind kind = StepKind::kStepError;
  std::string next_state;  // kNewState.
  std::string message;
};

// What the hammer does.
struct SimHammer {
  SimOutcome outcome;       // kProofFinished, kNewState or kStepError.
  std::string step_text;    // The reconstructed step.
  std::string prover;       // The winning slice.
  std::vector<std::string> premises;
};

class SimWorld {
 public:
  virtual ~SimWorld() = default;
  // The initial goal text; InvalidArgument if the statement is unknown.
  virtual absl::StatusOr<std::string> InitialState(const Theorem& t) const = 0;
  virtual SimOutcome Apply(const std::string& state,
                           const std::string& step) const = 0;
  virtual SimHammer Hammer(const std::string& state) const = 0;
  // What a simulated model proposes for `state` (n samples, may repeat).
  virtual std::vector<Candidate> Propose(const std::string& state, int n,
                                         uint64_t seed,
                                         const std::string& hammer_token) const = 0;
};

// Hand-written states and edges. The initial state of any theorem is its
// statement text. Unlisted steps fail with kStepError; unlisted states get no
// candidates; the hammer fails unless set.
class ScriptedWorld : public SimWorld {
 public:
  ScriptedWorld& Step(const std::string& from, const std::string& step,
                      const std::string& to);
  ScriptedWorld& Finish(const std::string& from, const std::string& step);
  ScriptedWorld& Outcome(const std::string& from, const std::string& step,
                         StepKind kind, const std::string& message);
  ScriptedWorld& HammerProves(const std::string& from,
                              const std::string& step_text);
  ScriptedWorld& Candidates(const std::string& state,
                            std::vector<Candidate> candidates);

  absl::StatusOr<std::string> InitialState(const Theorem& t) const override;
  SimOutcome Apply(const std::string& state,
                   const std::string& step) const override;
  SimHammer Hammer(const std::string& state) const override;
  std::vector<Candidate> Propose(const std::string& state, int n, uint64_t seed,
                                 const std::string& hammer_token) const override;

 private:
  std::map<std::pair<std::string, std::string>, SimOutcome> edges_;
  std::map<std::string, std::string> hammer_;
  std::map<std::string, std::vector<Candidate>> candidates_;
};

// A synthetic proof space. A theorem's statement "sim depth=<k> id=<x>" starts
// at distance k from a proof. Goal texts are "goal k=<k> h=<h>". From each
// state one step of the vocabulary "t0".."t<V-1>" (chosen by hash) moves one
// closer (k=0: proof finished); other steps fail, loop, or move sideways or
// further away. The hammer closes goals with k <= hammer_reach with some
// probability. The simulated model proposes the right step with
// p_right_proposed per query. Everything is a hash of (seed, state, step).
class SyntheticWorld : public SimWorld {
 public:
  struct Options {
    uint64_t seed = 1;
    int vocabulary = 48;
    int state_pool = 100000;      // Distinct h values (collisions = dups).
    double p_error = 0.55;        // A wrong step fails.
    double p_same = 0.1;          // A wrong step leaves the goal unchanged.
    double p_further = 0.5;       // Else: one further away (vs sideways).
    double p_right_proposed = 0.5;
    double p_hammer_proposed = 0.35;
    int hammer_reach = 1;
    double p_hammer_success = 0.6;
  };
  SyntheticWorld() : SyntheticWorld(Options()) {}
  explicit SyntheticWorld(Options options) : o_(options) {}

  // "sim depth=<depth> id=<id>".
  static std::string Statement(int depth, int id);

  absl::StatusOr<std::string> InitialState(const Theorem& t) const override;
  SimOutcome Apply(const std::string& state,
                   const std::string& step) const override;
  SimHammer Hammer(const std::string& state) const override;
  std::vector<Candidate> Propose(const std::string& state, int n, uint64_t seed,
                                 const std::string& hammer_token) const override;

 private:
  Options o_;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SEARCH_SIM_WORLD_H_
