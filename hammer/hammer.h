// The hammer: premise selection plus a portfolio of ATP subprocesses (E,
// cvc5, cvc4, SPASS, z3, and Vampire when installed) on a TPTP problem.
//
//   thor::hammer::Hammer hammer;
//   absl::StatusOr<HammerResult> r = hammer.SolveFile("goal.p");
//   if (r.ok() && r->status == AtpStatus::kProved) use(r->used_premises);
//
// Thread-safety: a Hammer may be shared; Solve* and SelectPremises may be
// called from several threads at once, and Cancel() from any thread.
#ifndef THOR_HAMMER_HAMMER_H_
#define THOR_HAMMER_HAMMER_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hammer/tptp.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::hammer {

struct Schedule;  // hammer/schedule.h

// Normalised outcome of an ATP run or of a whole hammer call.
enum class AtpStatus {
  kProved,      // Theorem / Unsatisfiable / ContradictoryAxioms.
  kDisproved,   // CounterSatisfiable with ALL premises (no selection).
  kUnknown,     // Timeout, GaveUp, resource limit, cancelled, no answer.
  kError,       // The prover rejected the input or crashed on it.
};
const char* AtpStatusName(AtpStatus status);  // "proved", "disproved", ...

struct HammerOptions {
  // Wall budget for the whole call (reading the file, selection, provers,
  // minimisation).
  absl::Duration timeout = absl::Seconds(30);
  // Provers to use ("e", "cvc5", "cvc4", "spass", "z3", "vampire"); empty
  // means every prover of the schedule that is installed.
  std::vector<std::string> provers;
  // Cap on premises per slice; 0 = the schedule's own counts.
  int max_premises = 0;
  // Re-run on the used premises and drop unneeded ones (small budget).
  bool minimize = true;
  // Slices run at once; 0 = number of cores.
  int parallelism = 0;
  // JSON schedule file (see hammer/schedule.h); empty = built-in default.
  std::string schedule_path;
  // The schedule as a value (e.g. a bridge's own, parsed once); when set,
  // schedule_path is not read. A long-lived Hammer then needs no file per
  // caller.
  std::shared_ptr<const Schedule> schedule;
  // SolveFile / SolveText keep parsed include files for later calls (see
  // IncludeCache in hammer/tptp.h).
  bool cache_includes = true;
  // The clock and the prover processes; null: Env::Default(). Tests pass a
  // fake (tests/testing/fake_env.h) to run a portfolio in simulated time.
  Env* env = nullptr;
  // This call's cancel flag (null: none): soon after it becomes true the
  // call's provers are killed and it returns Cancelled (unless a proof was
  // already found). Per call, so one Hammer can serve many callers; Cancel()
  // stops every call of the object.
  const std::atomic<bool>* cancel = nullptr;
};

struct HammerResult {
  AtpStatus status = AtpStatus::kUnknown;
  std::string szs_status;  // "Theorem", "CounterSatisfiable", "Timeout", ...
  std::string slice;       // Winning slice, e.g. "cvc5/mesh64"; "" if none.
  // Premises used by the proof, by their original (input) names, the
  // conjecture excluded. Minimised when options.minimize.
  std::vector<std::string> used_premises;
  absl::Duration elapsed;
  // Wall time spent outside prover processes (parse, select, write, wait).
  absl::Duration overhead;
  // Parts of `overhead`: reading and parsing the file (SolveFile /
  // SolveText) and preparing the problem (numerals, cache key); premise
  // selection before the first slice starts.
  absl::Duration read_time;
  absl::Duration select_time;
  std::string message;     // Why not proved / which provers failed how.
  bool from_cache = false;
};

// A premise ranked by a selector; higher score = more relevant.
struct RankedPremise {
  std::string name;
  double score = 0;
};

class Hammer {
 public:
  explicit Hammer(HammerOptions options = HammerOptions());
  ~Hammer();
  Hammer(const Hammer&) = delete;
  Hammer& operator=(const Hammer&) = delete;

  // Reads a TPTP file (includes resolved against its folder, then $TPTP)
  // and solves it. Errors: the reader's (NotFound, InvalidArgument with
  // file:line:column), InvalidArgument for a problem with no conjecture and
  // no negated conjecture ... see Solve. A timeout is NOT an error: it is
  // status kUnknown.
  absl::StatusOr<HammerResult> SolveFile(const std::string& path);
  // Same on text; includes resolve against `base_dir_for_includes`.
  absl::StatusOr<HammerResult> SolveText(const std::string& tptp_text,
                                         const std::string& base_dir_for_includes);
  // Same with per-call options instead of the constructor's.
  absl::StatusOr<HammerResult> SolveText(const std::string& tptp_text,
                                         const std::string& base_dir_for_includes,
                                         const HammerOptions& options);
  // Runs the portfolio. Errors: InvalidArgument for an empty problem;
  // FailedPrecondition if none of the wanted provers is installed (the
  // message lists the installed ones and `apt-get install` hints);
  // Cancelled if Cancel() was called during the call.
  absl::StatusOr<HammerResult> Solve(const Problem& problem);
  // Same with per-call options instead of the constructor's.
  absl::StatusOr<HammerResult> Solve(const Problem& problem,
                                     const HammerOptions& options);

  // Stops every running call as soon as possible (their provers are
  // killed); calls started afterwards run normally.
  void Cancel();

  // Ranks the premises of `problem` against its goal. `method` is "mepo",
  // "knn" or "mesh"; returns at most `max` premises (0 = all), best first.
  // InvalidArgument for an unknown method or a problem without goal.
  absl::StatusOr<std::vector<RankedPremise>> SelectPremises(
      const Problem& problem, const std::string& method, int max);

  // Learning data for k-NN: `goal_name`'s proof used `premises`, where the
  // goal's formula is `goal` (its symbols are the features). Proofs found by
  // Solve are recorded automatically.
  void RecordProof(const std::string& goal_name, const Expr& goal,
                   const std::vector<std::string>& premises);
  // Loads MPTP's `atpproved` file (lines "goal:prem1 prem2 ..."). A goal's
  // features are taken from its formula when a later problem states it as a
  // premise under the same name. NotFound / InvalidArgument (file:line).
  absl::Status LoadDependencies(const std::string& path);
  // Forgets the learned proof of `goal_name` (for leave-one-out evaluation).
  void ForgetProof(const std::string& goal_name);

  // Keeps the proof database in `path` (JSON Lines, hammer/proof_store.h:
  // each proof's goal, its features and its premises): loads it if it
  // exists, then appends every proof recorded from now on (found by Solve or
  // given to RecordProof), so a long-lived Hammer (one per server) keeps
  // what it learned across restarts. Errors: the file's (InvalidArgument
  // with path:line), PermissionDenied when it cannot be opened for
  // appending. Call once, before concurrent use.
  absl::Status PersistProofs(const std::string& path);
  // How many proofs the database holds.
  size_t proof_count() const;

  const HammerOptions& options() const { return options_; }

 private:
  // Solve on a problem the call owns (no copy); `start` is when the call
  // began (before reading the file, for SolveFile).
  absl::StatusOr<HammerResult> SolveOwned(Problem problem, const HammerOptions& options,
                                          absl::Time start);

  struct Impl;
  HammerOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace thor::hammer

#endif  // THOR_HAMMER_HAMMER_H_
