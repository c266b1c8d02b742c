// One thread that interrupts the prover sessions whose calls were
// cancelled: a call registers its cancel flag and its ProverSession for its
// duration (Watch), so that cancelling a session call costs no thread of its
// own (common/cancel_watcher.h starts one per watch: a thread start and a
// join on every step, which a busy machine makes slow).
#ifndef THOR_SESSIONS_INTERRUPTER_H_
#define THOR_SESSIONS_INTERRUPTER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "search/prover.h"

namespace thor {

class Interrupter {
 public:
  // Looks at the flags every `poll`, and sleeps while nothing is watched.
  explicit Interrupter(absl::Duration poll = absl::Milliseconds(20));
  ~Interrupter();
  Interrupter(const Interrupter&) = delete;
  Interrupter& operator=(const Interrupter&) = delete;

  // While it lives, `prover->Interrupt()` is called once soon after
  // `*cancel` becomes true (nothing if `cancel` is null); never after it
  // is destroyed.
  class Watch {
   public:
    Watch(Interrupter* owner, const std::atomic<bool>* cancel, ProverSession* prover);
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    Interrupter* const owner_;
    uint64_t id_ = 0;
  };

 private:
  struct Entry {
    const std::atomic<bool>* cancel;
    ProverSession* prover;
    bool fired = false;
  };
  void Loop();

  const absl::Duration poll_;
  absl::Mutex mu_;
  std::map<uint64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace thor

#endif  // THOR_SESSIONS_INTERRUPTER_H_
