// A pool of warm coqtop processes with the prelude (CoqHammer) loaded. A
// session takes one for its lifetime and gives it back reset to its base
// state, so CoqHammer's feature cache (slow to build) is reused across
// theorems. Dead or hung processes are never handed out: they are dropped
// and a fresh one is started on the next Acquire.
#ifndef THOR_COQ_BRIDGE_COQTOP_POOL_H_
#define THOR_COQ_BRIDGE_COQTOP_POOL_H_

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coq_bridge/coqtop.h"

namespace thor::coq {

class CoqtopPool {
 public:
  // Keeps at most `max_idle` idle processes.
  CoqtopPool(CoqtopOptions options, int max_idle);
  ~CoqtopPool();

  // A live process at its base state: an idle one, or a newly started one.
  // Errors as Coqtop::Start. Thread-safe.
  absl::StatusOr<std::unique_ptr<Coqtop>> Acquire(absl::Time deadline);
  // Takes a process back: reset to its base state and kept if it is alive
  // and there is room, else killed. Thread-safe.
  void Release(std::unique_ptr<Coqtop> coq);

  int idle() const;
  int started() const;  // Processes started over the pool's life.
  const CoqtopOptions& options() const { return options_; }

 private:
  const CoqtopOptions options_;
  const int max_idle_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Coqtop>> idle_ ABSL_GUARDED_BY(mu_);
  int started_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQTOP_POOL_H_
