// CoqSession: a ProverSession over one coqtop process taken from a
// CoqtopPool. Proof states are named "coq-<process>-<state>"; a state of the
// current process still on its live path is reached with BackTo, any other
// state by replaying ProofState::steps from the theorem's initial state.
// With a light pool, a session that finds no hammer-ready process idle
// starts on a light one (no CoqHammer warm-up: cheap steps at once) while a
// hammer-ready one starts in the background, and moves to that one (the
// theorem loaded and the path replayed) when its first hammer call comes.
#ifndef THOR_COQ_BRIDGE_COQ_SESSION_H_
#define THOR_COQ_BRIDGE_COQ_SESSION_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coq_bridge/coq_config.h"
#include "coq_bridge/coqtop.h"
#include "coq_bridge/coqtop_pool.h"
#include "hammer/hammer.h"
#include "search/prover.h"

namespace thor::coq {

// Runs Thor's portfolio on `tptp` (a problem in `dir`) within `timeout`;
// must return soon after `*cancel` becomes true. The result is the
// portfolio's own (status, winning slice, used premises by name, message).
using AtpRunner = std::function<absl::StatusOr<hammer::HammerResult>(
    const std::string& tptp, const std::string& dir, absl::Duration timeout,
    const std::atomic<bool>* cancel)>;

// The least time the external hammer starts with. CoqHammer's export runs
// under `Timeout N` (whole seconds, at least 1) and the call keeps half a
// second besides; with less, the export cannot end within the call's limit:
// it overran, and a prover interrupted past its limit is replaced (a new
// coqtop and CoqHammer's warm-up, seconds of the other core). On a slow
// machine a 1 s export does not even finish CoqHammer's premise prediction.
inline constexpr absl::Duration kMinExternalHammerTime = absl::Milliseconds(1500);
// The message of a hammer call refused for that.
std::string TooLittleForExport(absl::Duration timeout);

class CoqSession : public ProverSession {
 public:
  // `pool`, `light_pool` and `atp` must outlive the session; `atp` may be
  // empty (the external hammer then reports that it is not configured);
  // `light_pool` may be null (every process then comes from `pool`).
  CoqSession(CoqtopPool* pool, const CoqConfig& config, AtpRunner atp,
             CoqtopPool* light_pool = nullptr);
  ~CoqSession() override;

  absl::StatusOr<ProofState> Start(const Theorem& theorem, absl::Duration timeout) override;
  StepResult Apply(const ProofState& from, const std::string& step,
                   absl::Duration timeout) override;
  HammerStepResult Hammer(const ProofState& from, absl::Duration timeout) override;
  void Interrupt() override;
  void SetProgressCallback(ProverProgressCallback callback) override;

  // The coqtop process in use (for tests: kill it to simulate a crash);
  // -1 if none.
  pid_t CoqtopPid() const;

 private:
  struct Node {
    int state = 0;
    std::string step;
  };

  // Makes sure a live process has the theorem loaded (restarting it).
  absl::Status EnsureLoaded(absl::Time deadline);
  // A process for EnsureLoaded: a hammer-ready one if one is idle, else a
  // light one (`*light`), with a hammer-ready one started in the background.
  absl::StatusOr<std::unique_ptr<Coqtop>> AcquireProcess(absl::Time deadline, bool* light);
  // The pool a process of this session goes back to.
  CoqtopPool* PoolFor(bool light) const { return light ? light_pool_ : pool_; }
  // EnsureLoaded, then on a light process: waits for a hammer-ready one
  // (until `deadline`), loads the theorem there and moves to it.
  absl::Status EnsureHammerReady(absl::Time deadline);
  // Tells the progress callback, if any.
  void Report(const char* phase, std::string message);
  // On a light process, reports "hammer_ready" (once) when a hammer-ready
  // process has become idle in the pool.
  void NoteHammerReady();
  // Loads imports, context and statement into `coq`; returns the goals.
  absl::StatusOr<std::string> LoadTheorem(Coqtop& coq, absl::Time deadline);
  // Moves the live process to `from`.
  absl::Status GoTo(const ProofState& from, absl::Time deadline);
  absl::Status BackTo(int state, absl::Time deadline);
  // Runs a normalised step at the end of the live path; on success the
  // path grows by one node.
  StepResult RunStep(const std::string& step, absl::Time deadline);
  // Replaces the process after it died or was killed.
  void DropProcess();
  std::string StateId(int state) const;

  static HammerStepResult HammerFailure(StepKind kind, std::string message, absl::Time start);
  // Returns to `before` (on the live path) after a hammer call.
  absl::Status UndoTo(int before);
  HammerStepResult NativeHammer(const ProofState& from, absl::Duration timeout);
  HammerStepResult ExternalHammer(const ProofState& from, absl::Duration timeout);
  // Tries each tactic in turn on `from`; the first that closes the goal
  // is the result.
  HammerStepResult Reconstruct(const ProofState& from, const std::vector<std::string>& tactics,
                               absl::Duration per_tactic, absl::Time deadline);

  CoqtopPool* const pool_;
  CoqtopPool* const light_pool_;
  const CoqConfig config_;
  const AtpRunner atp_;
  Theorem theorem_;
  std::string context_;
  std::string statement_;
  // What LoadTheorem loads before the statement: `whole_`, in two parts:
  // its beginning `head_` (kept in the process for a later theorem, see
  // Coqtop::Park), then the rest (the whole kept too, Coqtop::ParkWhole).
  std::string head_;
  std::string whole_;
  std::string initial_text_;
  bool started_ = false;
  std::vector<Node> live_;  // live_[0] is the initial state.
  bool light_ = false;      // The process lacks the hammer warm-up.
  bool hammer_ready_reported_ = false;
  ProverProgressCallback progress_;
  std::atomic<bool> interrupted_{false};
  mutable absl::Mutex mu_;  // Guards the pointer, not the process's use.
  std::unique_ptr<Coqtop> coq_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_SESSION_H_
