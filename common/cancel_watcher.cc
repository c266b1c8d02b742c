#include "common/cancel_watcher.h"

#include <algorithm>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace thor {
namespace {

class Poller {
 public:
  static Poller& Instance() {
    static Poller* const poller = new Poller();  // Never destroyed: lives until exit.
    return *poller;
  }

  uint64_t Add(std::function<bool()> cancelled, std::function<void()> on_cancel,
               absl::Duration poll) {
    absl::MutexLock lock(&mu_);
    const uint64_t id = next_id_++;
    entries_.emplace(id, Entry{std::move(cancelled), std::move(on_cancel), poll});
    ++added_;  // Wakes the loop: a new watcher is looked at at once.
    return id;
  }

  void Remove(uint64_t id) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    Entry* entry = &it->second;
    mu_.Await(absl::Condition(+[](Entry* e) { return !e->firing; }, entry));
    entries_.erase(it);
  }

 private:
  struct Entry {
    std::function<bool()> cancelled;
    std::function<void()> on_cancel;
    absl::Duration poll;
    bool fired = false;   // on_cancel was called (or is running).
    bool firing = false;  // on_cancel is running, without the lock.
  };

  Poller() { std::thread([this] { Loop(); }).detach(); }

  void Loop() {
    mu_.Lock();
    while (true) {
      seen_ = added_;
      std::vector<Entry*> fire;
      absl::Duration poll = absl::InfiniteDuration();
      for (auto& [id, e] : entries_) {
        if (e.fired) continue;
        poll = std::min(poll, e.poll);
        if (e.cancelled()) {
          e.fired = e.firing = true;
          fire.push_back(&e);
        }
      }
      // Entries that are firing are not erased (Remove waits), so the
      // pointers stay valid while the lock is released.
      for (Entry* e : fire) {
        mu_.Unlock();
        e->on_cancel();
        mu_.Lock();
        e->firing = false;
      }
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return added_ != seen_; };
      if (poll == absl::InfiniteDuration()) {
        mu_.Await(absl::Condition(&woken));
      } else {
        mu_.AwaitWithTimeout(absl::Condition(&woken), poll);
      }
    }
  }

  absl::Mutex mu_;
  std::map<uint64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t added_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t seen_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

CancelWatcher::CancelWatcher(std::function<bool()> cancelled, std::function<void()> on_cancel,
                             absl::Duration poll)
    : id_(Poller::Instance().Add(std::move(cancelled), std::move(on_cancel), poll)) {}

CancelWatcher::CancelWatcher(const std::atomic<bool>* cancel, std::function<void()> on_cancel,
                             absl::Duration poll)
    : CancelWatcher([cancel] { return cancel != nullptr && cancel->load(); },
                    std::move(on_cancel), poll) {}

CancelWatcher::~CancelWatcher() { Poller::Instance().Remove(id_); }

}  // namespace thor
