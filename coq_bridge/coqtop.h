// One coqtop process driven through `coqtop -emacs` over pipes (stdout and
// stderr merged, so output and prompts arrive in order). Every batch of
// sentences is followed by a sentinel command whose error marks the end of
// the reply; each prompt carries Coq's state number, which tells whether a
// sentence was accepted (the number advanced) without reading message text.
#ifndef THOR_COQ_BRIDGE_COQTOP_H_
#define THOR_COQ_BRIDGE_COQTOP_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/subprocess.h"

namespace thor::coq {

struct CoqtopOptions {
  std::string program = "coqtop";
  // More command-line arguments (e.g. a project's -Q/-R load path).
  std::vector<std::string> args;
  // Vernacular run right after start; its state is the process's base state.
  std::string prelude;
  // Run after the prelude and then undone (BackTo the base state); for
  // filling caches that live in the process, such as CoqHammer's features.
  std::string warmup;
  // Address-space limit for coqtop and its children (ATPs); 0 = none.
  uint64_t memory_limit_bytes = 0;
  // How long a process may take to come back after SIGINT before it is
  // killed.
  absl::Duration interrupt_grace = absl::Seconds(3);
};

// What Coq did with one sentence.
struct CoqSentence {
  std::string output;   // Goals, messages or the error, as Coq printed them.
  int state = 0;        // State number shown in the prompt after it.
  std::string proof;    // Open proof's name in that prompt; "Coq" if none.
  bool failed = false;  // Rejected: the state number did not advance.
};

struct CoqReply {
  std::vector<CoqSentence> sentences;
  bool interrupted = false;  // SIGINT stopped it (deadline or Interrupt()).
  // True if any sentence failed; `ErrorText` is the first failure's output.
  bool Failed() const;
  std::string ErrorText() const;
};

// CoqHammer runs cvc4 as `cvc4 --tlimit N ...` with N its ATP limit in
// seconds, and cvc4 reads --tlimit as milliseconds. Measured with cvc4 1.8:
// it did not enforce limits under about 0.1 s (CoqHammer's htimeout at N+1
// seconds stopped it), and from there to 3 s it gave up at the limit
// ("GaveUp"), so from about 100 s up the hammer failed on goals it proves
// with a smaller limit. Returns a POSIX shell
// script that runs `real_cvc4` with the number after --tlimit times 1000
// and every other argument as given. Every coqtop Thor starts finds it
// first on its PATH as `cvc4` (a file in the process's own temporary
// folder), so only CoqHammer's calls go through it.
std::string Cvc4TimeLimitShim(const std::string& real_cvc4);

// With THOR_COQ_TRACE set in the environment, prints "[coqtop PID] what()"
// to stderr (commands, replies, kills); `what` is not called otherwise.
void CoqTrace(pid_t pid, const std::function<std::string()>& what);

// Every deadline here is of the real clock (absl::Now): they bound waits
// on coqtop's pipes, which a simulated Env clock could not move. So do the
// deadlines coq_session and the hammers compute for these calls.
class Coqtop {
 public:
  // Starts coqtop with `options.prelude` loaded. Unavailable if coqtop is
  // missing or dies, InvalidArgument if the prelude fails (quoting Coq),
  // DeadlineExceeded if it is not ready by `deadline`.
  // Returns Cancelled soon after `*cancel` becomes true (the process is
  // killed then).
  static absl::StatusOr<std::unique_ptr<Coqtop>> Start(const CoqtopOptions& options,
                                                       absl::Time deadline,
                                                       const std::atomic<bool>* cancel = nullptr);
  ~Coqtop();

  // Sends `text` (complete sentences) and returns one CoqSentence per
  // sentence Coq processed. At `deadline` Coq is interrupted (SIGINT) and
  // given the grace period; if it does not answer it is killed and the call
  // returns DeadlineExceeded (the process is dead afterwards). Unavailable
  // if the process died. From `kill_children_at` on (if before the
  // deadline) coqtop's child processes are killed every 250 ms: a `hammer`
  // waiting for its ATPs then returns by itself, which an interrupt does not
  // reliably achieve (an interrupted hammer can leave coqtop unable to
  // BackTo). With `kill_at_deadline` the process is killed at `deadline`
  // without an interrupt (for hammer calls, whose interrupted process is
  // rarely usable afterwards: the pool's spare is cheaper than the grace
  // period plus a failed BackTo). A command that fails with "User
  // interrupt" though it was not interrupted (a SIGINT coqtop took while
  // idle) is undone and run once more. REQUIRES: Alive().
  absl::StatusOr<CoqReply> Run(const std::string& text, absl::Time deadline,
                               absl::Time kill_children_at = absl::InfiniteFuture(),
                               bool kill_at_deadline = false);
  // Run for a proof step of `step_units` units (sentences, bullets, braces;
  // coqtop answers each with a prompt) followed by quick sentences
  // (`Show.`): once the reply holds that many prompts, the step is over and
  // no SIGINT is sent any more (past the deadline the rest gets the grace
  // period, then the process is killed). A SIGINT that lands while coqtop
  // prints a reply kills it, and one asked for near a short step's end (a
  // probe step's 0.1 s limit, SIGINT held back until kSigintAfter) landed
  // there.
  absl::StatusOr<CoqReply> RunStep(const std::string& text, int step_units, absl::Time deadline);
  // Run for housekeeping (BackTo after a failed step): Interrupt() does not
  // reach it, and at `deadline` (at least 3 s from now) the process is
  // killed. A SIGINT meant for
  // the previous command that lands in it is absorbed by one retry.
  absl::StatusOr<CoqReply> RunUninterruptible(const std::string& text, absl::Time deadline);
  // Returns to `state` (one on the current path, as a prompt showed it) with
  // RunUninterruptible; at once if it is there. Unavailable if coqtop did
  // not get there (the process may then be dead).
  absl::Status BackTo(int state, absl::Time deadline);

  // Interrupts the command in progress (SIGINT to the group), at most once
  // per command and never a housekeeping command or an idle process (a
  // stray SIGINT would fail whatever coqtop runs next; Run and RunStep rerun
  // a command that fails so, once). A command that has
  // not answered options.interrupt_grace after the SIGINT is cut there, its
  // deadline or not, and the process killed (Run's DeadlineExceeded).
  // Thread-safe.
  void Interrupt();
  // Kills every process of coqtop's group except coqtop (leftover ATPs).
  void KillStrayChildren();
  bool Alive();
  void Kill();

  int state() const { return state_; }        // After the last reply.
  int base_state() const { return base_state_; }  // After the prelude.
  uint64_t id() const { return id_; }         // Unique per process.
  pid_t pid() const { return process_->pid(); }
  const std::string& tmpdir() const { return tmpdir_; }

  // A state kept for the next theorem: `state`, reached by loading `text`
  // (whole sentences) on top of the base state, e.g. a file's text up to a
  // theorem. CoqtopPool::Release backs the process to it instead of to the
  // base state, and Acquire hands the process to a caller whose context
  // extends `text` (which then loads only the rest). Park("", 0) forgets it.
  // Park also forgets the whole preamble (ParkWhole).
  void Park(std::string text, int state) {
    parked_text_ = std::move(text);
    parked_state_ = state;
    ParkWhole("", 0);
  }
  const std::string& parked_text() const { return parked_text_; }
  int parked_state() const { return parked_state_; }  // 0: none.
  // A later state on the same path: `state`, reached by loading a theorem's
  // whole preamble `text` (the parked text, if any, and what followed it).
  // Release keeps the process there, and a caller loading exactly `text`
  // again (the same theorem's context) continues from it with nothing to
  // load. ParkWhole("", 0) forgets it.
  void ParkWhole(std::string text, int state) {
    whole_text_ = std::move(text);
    whole_state_ = state;
  }
  const std::string& whole_text() const { return whole_text_; }
  int whole_state() const { return whole_state_; }  // 0: none.

 private:
  Coqtop() = default;
  // Subprocess::ReadUntil in slices of at most 100 ms, checking `cancel_`
  // and killing child processes from `kill_children_at` on.
  // `each_slice`, if set, runs before every slice.
  absl::Status Read(const std::function<bool(const std::string&, const std::string&)>& done,
                    absl::Time deadline, absl::Time kill_children_at,
                    const std::function<void()>& each_slice = nullptr);
  std::unique_ptr<Subprocess> process_;
  CoqtopOptions options_;
  std::string tmpdir_;
  uint64_t id_ = 0;
  int state_ = 0;
  int base_state_ = 0;
  std::string parked_text_;
  int parked_state_ = 0;
  std::string whole_text_;
  int whole_state_ = 0;
  uint64_t sentinel_counter_ = 0;
  // What a SIGINT would hit now: kIdle, a step (kInterruptible), one that
  // was already sent its SIGINT (kSignalled) or housekeeping.
  enum Phase : int { kIdle, kInterruptible, kSignalled, kHousekeeping };
  std::atomic<int> phase_{kIdle};
  std::atomic<int64_t> signalled_at_ns_{0};  // When the last SIGINT was sent.
  std::atomic<int64_t> started_at_ns_{0};    // When the command was sent.
  std::atomic<bool> pending_sigint_{false};  // Asked for before it was safe.
  // RunStep: the step's units have answered; no SIGINT from now on.
  std::atomic<bool> step_answered_{false};
  // Sends SIGINT if a step runs that has not had one yet.
  bool SignalOnce();
  // A SIGINT went out interrupt_grace ago or more and the command has not
  // answered.
  bool InterruptUnanswered(absl::Time now) const;
  // `step_units`: RunStep's (0: not a step, SIGINT until the end). An
  // interruptible command that fails with "User interrupt" it was not sent
  // (a stale SIGINT) is undone and run once more. Housekeeping is retried
  // in RunUninterruptible instead: a BackTo cannot be undone (the states
  // after its target are gone) but can simply be repeated.
  absl::StatusOr<CoqReply> RunAs(Phase phase, const std::string& text, absl::Time deadline,
                                 absl::Time kill_children_at, bool kill_at_deadline,
                                 int step_units = 0);
  absl::StatusOr<CoqReply> RunOnce(Phase phase, const std::string& text, absl::Time deadline,
                                   absl::Time kill_children_at, bool kill_at_deadline,
                                   int step_units = 0);
  const std::atomic<bool>* cancel_ = nullptr;  // Only while starting.
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQTOP_H_
