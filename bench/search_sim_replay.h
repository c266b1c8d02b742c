// bench/search_sim helpers: wrappers that record every prover and policy
// call a search makes, so the same calls can be replayed without the search.
#ifndef THOR_BENCH_SEARCH_SIM_REPLAY_H_
#define THOR_BENCH_SEARCH_SIM_REPLAY_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "search/policy.h"
#include "search/prover.h"

namespace thor::testing {

// The calls, in the order they were made.
struct CallLog {
  absl::Mutex mu;
  std::vector<std::pair<ProofState, std::string>> applies ABSL_GUARDED_BY(mu);
  std::vector<PolicyQuery> queries ABSL_GUARDED_BY(mu);
};

class RecordingSession : public ProverSession {
 public:
  RecordingSession(std::unique_ptr<ProverSession> inner, CallLog* log)
      : inner_(std::move(inner)), log_(log) {}
  absl::StatusOr<ProofState> Start(const Theorem& t, absl::Duration d) override {
    return inner_->Start(t, d);
  }
  StepResult Apply(const ProofState& from, const std::string& step,
                   absl::Duration timeout) override {
    {
      absl::MutexLock l(&log_->mu);
      log_->applies.emplace_back(from, step);
    }
    return inner_->Apply(from, step, timeout);
  }
  HammerStepResult Hammer(const ProofState& from, absl::Duration d) override {
    return inner_->Hammer(from, d);
  }
  void Interrupt() override { inner_->Interrupt(); }

 private:
  std::unique_ptr<ProverSession> inner_;
  CallLog* log_;
};

class RecordingBackend : public ProverBackend {
 public:
  RecordingBackend(ProverBackend* inner, CallLog* log) : inner_(inner), log_(log) {}
  std::string Name() const override { return inner_->Name(); }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override {
    auto s = inner_->NewSession();
    if (!s.ok()) return s.status();
    return std::unique_ptr<ProverSession>(new RecordingSession(std::move(*s), log_));
  }
  RecheckResult Recheck(const Theorem& t, const std::vector<std::string>& steps,
                        absl::Duration d) override {
    return inner_->Recheck(t, steps, d);
  }
  std::string ProofText(const std::vector<std::string>& steps) const override {
    return inner_->ProofText(steps);
  }

 private:
  ProverBackend* inner_;
  CallLog* log_;
};

class RecordingPolicy : public Policy {
 public:
  RecordingPolicy(Policy* inner, CallLog* log) : inner_(inner), log_(log) {}
  std::string Name() const override { return inner_->Name(); }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q,
                                                 absl::Duration d) override {
    {
      absl::MutexLock l(&log_->mu);
      log_->queries.push_back(q);
      log_->queries.back().cancel = nullptr;
    }
    return inner_->Propose(q, d);
  }

 private:
  Policy* inner_;
  CallLog* log_;
};

}  // namespace thor::testing

#endif  // THOR_BENCH_SEARCH_SIM_REPLAY_H_
