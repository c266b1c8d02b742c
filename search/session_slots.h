// The prover sessions of one search, by slot: which are live (started and not
// retired), which are in use, and how often each lost its prover in a row.
// Not thread-safe: the search engine guards it with its mutex. Internal to
// search/.
#ifndef THOR_SEARCH_SESSION_SLOTS_H_
#define THOR_SEARCH_SESSION_SLOTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "search/prover.h"
#include "search/types.h"

namespace thor {

class SessionSlots {
 public:
  // A session lost this often in a row retires.
  static constexpr int kMaxConsecutiveLost = 3;
  // A call that reaches its own time limit this soon is not interrupted:
  // the session ends it then by itself. Interrupting a prover just as its
  // call ends can kill it (coqtop dies of a SIGINT that lands while it
  // prints its reply), and a lost prover costs the next search a reload
  // and the pool a new process; the probe phase's 0.1 s steps ended that
  // way at the probe's end, and the search proper loaded the theorem again.
  static constexpr absl::Duration kLetFinish = absl::Milliseconds(300);

  // `n` slots, none live; every slot but 0 counts as starting (its worker
  // starts it; see Started / StartFailed).
  void Resize(int n);
  int size() const { return static_cast<int>(slots_.size()); }

  // Slot 0's first session, started by the search itself before any worker
  // runs: installed and live at once.
  void InstallFirst(std::unique_ptr<ProverSession> session);
  ProverSession* session(int slot) const { return slots_[slot].session.get(); }
  // Removes and returns slot 0's session if it is live and not in use (the
  // slot is then empty and not live); null otherwise.
  std::unique_ptr<ProverSession> TakeFirst();

  // A worker starting `slot`: the session is installed busy (so the watchdog
  // can interrupt a slow Start), then Started or StartFailed.
  ProverSession* BeginStart(int slot, std::unique_ptr<ProverSession> session);
  void Started(int slot);
  // The start failed (also when no session could be created).
  void StartFailed(int slot);

  // A live session not in use: `preferred` if it is one.
  // REQUIRES: idle() > 0.
  int IdleSlot(int preferred) const;
  // Marks `slot` in use (by a call that ends by itself at `call_deadline`,
  // or not if it is infinite) / no longer in use.
  ProverSession* Acquire(int slot, absl::Time call_deadline = absl::InfiniteFuture());
  void Release(int slot);

  // Records a call's outcome on `slot`; returns whether it lost its prover.
  // A session lost kMaxConsecutiveLost times in a row retires (last_error
  // says so).
  bool NoteOutcome(int slot, StepKind kind);

  // Sessions in a call not interrupted in the last `every`, unless the call
  // is within kLetFinish of its own deadline (before it or after it): marked
  // interrupted at `now`, to be interrupted by the caller (unlocked).
  std::vector<ProverSession*> ToInterrupt(absl::Time now, absl::Duration every);

  int live() const { return live_; }
  int idle() const { return idle_; }  // Live and not in use.
  int starting() const { return starting_; }
  const std::string& last_error() const { return last_error_; }
  void set_last_error(std::string error) { last_error_ = std::move(error); }

 private:
  struct Slot {
    std::unique_ptr<ProverSession> session;
    bool busy = false;
    bool live = false;
    int consecutive_lost = 0;
    absl::Time last_interrupt = absl::InfinitePast();
    absl::Time call_deadline = absl::InfiniteFuture();  // While busy.
  };
  std::vector<Slot> slots_;
  int starting_ = 0;
  int live_ = 0;
  int idle_ = 0;
  std::string last_error_;
};

}  // namespace thor

#endif  // THOR_SEARCH_SESSION_SLOTS_H_
