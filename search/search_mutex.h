// The search's mutex and its scoped lock, shared by the executors of a
// SearchCore's calls. Internal to search/.
#ifndef THOR_SEARCH_SEARCH_MUTEX_H_
#define THOR_SEARCH_SEARCH_MUTEX_H_

#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"

namespace thor {

// The search's mutex: a plain std::mutex (absl::Mutex, as Debian builds it,
// runs deadlock detection on every Lock, a third of the search's own cost
// per step), annotated for thread-safety analysis. Waits go through Wait.
class ABSL_LOCKABLE SearchMutex {
 public:
  // Spins a little before sleeping: critical sections are short, and a
  // sleep costs two context switches.
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    for (int i = 0; i < 200; ++i) {
      if (m_.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    m_.lock();
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() { m_.unlock(); }
  // Waits on `cv` until notified (or spuriously); held on entry and exit.
  void Wait(std::condition_variable& cv) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    std::unique_lock<std::mutex> l(m_, std::adopt_lock);
    cv.wait(l);
    l.release();
  }

 private:
  std::mutex m_;
};

class ABSL_SCOPED_LOCKABLE SearchLock {
 public:
  explicit SearchLock(SearchMutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  ~SearchLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  SearchLock(const SearchLock&) = delete;
  SearchLock& operator=(const SearchLock&) = delete;

 private:
  SearchMutex* mu_;
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_MUTEX_H_
