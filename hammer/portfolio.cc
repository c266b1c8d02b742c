#include "hammer/portfolio.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"

namespace thor::hammer {
namespace {

constexpr absl::Duration kMinSlice = absl::Milliseconds(200);

class Run {
 public:
  explicit Run(const PortfolioRequest& r)
      : req_(r), env_(r.env != nullptr ? r.env : Env::Default()) {}

  PortfolioOutcome Go() {
    const int workers = std::max(1, std::min<int>(req_.parallelism, req_.slices.size()));
    std::vector<absl::Duration> busy(workers);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([this, w, &busy] { busy[w] = Worker(); });
    }
    for (auto& t : threads) t.join();
    absl::MutexLock lock(&mu_);
    for (const auto& b : busy) out_.prover_time = std::max(out_.prover_time, b);
    if (out_.status == AtpStatus::kProved && req_.minimize) Minimize();
    return out_;
  }

 private:
  absl::Time Now() const { return env_->Now(); }

  bool Stopped() const {
    return req_.stop->load() || (req_.cancel != nullptr && req_.cancel->load());
  }

  // The premises a slice gets; empty optional-like flag when a slice with
  // the same prover, premises and arguments already ran.
  bool Premises(const Slice& s, std::vector<int>& out) {
    const Ranking& rank = req_.ranking(s.selector);
    size_t n = rank.order.size();
    if (s.premises > 0) n = std::min<size_t>(n, s.premises);
    if (req_.max_premises > 0) n = std::min<size_t>(n, req_.max_premises);
    out.assign(rank.order.begin(), rank.order.begin() + n);
    std::vector<int> sorted = out;
    std::sort(sorted.begin(), sorted.end());
    size_t key = absl::HashOf(static_cast<int>(s.prover), sorted, s.args);
    absl::MutexLock lock(&mu_);
    return seen_.insert(key).second;
  }

  absl::Duration Worker() {
    absl::Duration busy;
    while (!Stopped()) {
      size_t i = next_.fetch_add(1);
      if (i >= req_.slices.size()) break;
      const Slice& s = req_.slices[i];
      absl::Duration left = req_.deadline - Now();
      if (left < kMinSlice) break;
      std::vector<int> premises;
      if (!Premises(s, premises)) continue;
      // The last slice gets whatever is left.
      absl::Duration t = i + 1 == req_.slices.size() ? left : std::min(left, req_.budget * s.share);
      AtpOutcome r = RunAtp(s.prover, *req_.problem, premises, t, s.args, req_.stop, req_.env);
      busy += r.elapsed;
      bool all = premises.size() == req_.problem->PremiseIndices().size();
      absl::MutexLock lock(&mu_);
      out_.notes.push_back(absl::StrFormat("%s: %s %.2fs%s", s.Label(), r.szs,
                                           absl::ToDoubleSeconds(r.elapsed),
                                           r.status == AtpStatus::kError ? " (" + r.message + ")" : ""));
      if (r.status == AtpStatus::kProved && out_.status != AtpStatus::kProved) {
        out_.status = AtpStatus::kProved;
        out_.szs = "Theorem";
        out_.slice = s.Label();
        out_.used = r.used;
        winner_ = s;
        req_.stop->store(true);
      } else if (r.status == AtpStatus::kDisproved && all && out_.status == AtpStatus::kUnknown) {
        // Only a complete premise set makes CounterSatisfiable a disproof.
        out_.status = AtpStatus::kDisproved;
        out_.szs = "CounterSatisfiable";
        out_.slice = s.Label();
      }
      if (out_.status == AtpStatus::kUnknown && r.status == AtpStatus::kError) last_error_ = r.message;
    }
    return busy;
  }

  // Re-runs the winner on its core, then tries dropping premises one by one
  // (cores of up to 12) while the small budget lasts.
  void Minimize() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (out_.used.size() <= 1 || (req_.cancel != nullptr && req_.cancel->load())) return;
    absl::Time end = std::min(req_.deadline, Now() + std::max(absl::Seconds(1), req_.budget / 10));
    std::vector<int> core;
    if (Attempt(out_.used, end, core) && core.size() < out_.used.size()) out_.used = core;
    if (out_.used.size() > 12) return;
    for (size_t i = 0; i < out_.used.size() && out_.used.size() > 1;) {
      std::vector<int> fewer = out_.used;
      fewer.erase(fewer.begin() + i);
      if (Now() >= end) break;
      if (Attempt(fewer, end, core)) {
        out_.used = core.size() < fewer.size() ? core : fewer;
        i = 0;
      } else {
        ++i;
      }
    }
  }

  // Runs the winning slice on `premises` until `end` (2 s at most); true
  // with the premises it used in `core` if it proved the goal again.
  bool Attempt(const std::vector<int>& premises, absl::Time end, std::vector<int>& core)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    absl::Duration left = end - Now();
    if (left < absl::Milliseconds(100)) return false;
    AtpOutcome r = RunAtp(winner_.prover, *req_.problem, premises,
                          std::min(left, absl::Seconds(2)), winner_.args, req_.cancel, req_.env);
    out_.prover_time += r.elapsed;
    if (r.status != AtpStatus::kProved) return false;
    core = r.used;
    return true;
  }

  const PortfolioRequest& req_;
  Env* const env_;
  std::atomic<size_t> next_{0};
  absl::Mutex mu_;
  PortfolioOutcome out_ ABSL_GUARDED_BY(mu_);
  Slice winner_ ABSL_GUARDED_BY(mu_);
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<size_t> seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

PortfolioOutcome RunPortfolio(const PortfolioRequest& request) {
  return Run(request).Go();
}

}  // namespace thor::hammer
