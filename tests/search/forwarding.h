// A prover backend and a policy that pass every call on to another one,
// running hooks around each: tests and benchmarks watch a search's calls
// with them (recording, counting calls in flight).
#ifndef THOR_TESTS_SEARCH_FORWARDING_H_
#define THOR_TESTS_SEARCH_FORWARDING_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "search/policy.h"
#include "search/prover.h"

namespace thor::testing {

// Run around each Apply and Hammer call; either may be empty. `session`
// numbers the backend's sessions from 0 in creation order; `step` is null
// for a hammer call. Called from the search's threads at once.
struct ProverHooks {
  using Hook = std::function<void(int session, const ProofState& from,
                                  const std::string* step)>;
  Hook before;
  Hook after;
};

class ForwardingBackend : public ProverBackend {
 public:
  // REQUIRES: `inner` outlives this backend and its sessions.
  ForwardingBackend(ProverBackend* inner, ProverHooks hooks)
      : inner_(inner), hooks_(std::move(hooks)) {}
  std::string Name() const override { return inner_->Name(); }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override {
    absl::StatusOr<std::unique_ptr<ProverSession>> s = inner_->NewSession();
    if (!s.ok()) return s.status();
    return std::unique_ptr<ProverSession>(
        new Session(std::move(*s), sessions_++, &hooks_));
  }
  RecheckResult Recheck(const Theorem& t, const std::vector<std::string>& steps,
                        absl::Duration d) override {
    return inner_->Recheck(t, steps, d);
  }
  std::string ProofText(const std::vector<std::string>& steps) const override {
    return inner_->ProofText(steps);
  }
  absl::Status CheckStep(absl::string_view step) const override {
    return inner_->CheckStep(step);
  }
  absl::Status ValidateTheorem(const Theorem& theorem) const override {
    return inner_->ValidateTheorem(theorem);
  }
  absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view text) const override {
    return inner_->ParseProofText(text);
  }
  int sessions() const { return sessions_.load(); }

 private:
  class Session : public ProverSession {
   public:
    Session(std::unique_ptr<ProverSession> inner, int id, const ProverHooks* hooks)
        : inner_(std::move(inner)), id_(id), hooks_(hooks) {}
    absl::StatusOr<ProofState> Start(const Theorem& t, absl::Duration d) override {
      return inner_->Start(t, d);
    }
    StepResult Apply(const ProofState& from, const std::string& step,
                     absl::Duration d) override {
      Run(hooks_->before, from, &step);
      StepResult r = inner_->Apply(from, step, d);
      Run(hooks_->after, from, &step);
      return r;
    }
    HammerStepResult Hammer(const ProofState& from, absl::Duration d) override {
      Run(hooks_->before, from, nullptr);
      HammerStepResult r = inner_->Hammer(from, d);
      Run(hooks_->after, from, nullptr);
      return r;
    }
    void Interrupt() override { inner_->Interrupt(); }

   private:
    void Run(const ProverHooks::Hook& hook, const ProofState& from,
             const std::string* step) {
      if (hook) hook(id_, from, step);
    }
    std::unique_ptr<ProverSession> inner_;
    const int id_;
    const ProverHooks* hooks_;
  };

  ProverBackend* inner_;
  const ProverHooks hooks_;
  std::atomic<int> sessions_{0};
};

// Runs `before` on each query (if set) and passes it on.
class ForwardingPolicy : public Policy {
 public:
  // REQUIRES: `inner` outlives this policy.
  ForwardingPolicy(Policy* inner, std::function<void(const PolicyQuery&)> before)
      : inner_(inner), before_(std::move(before)) {}
  std::string Name() const override { return inner_->Name(); }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q,
                                                 absl::Duration d) override {
    if (before_) before_(q);
    return inner_->Propose(q, d);
  }

 private:
  Policy* inner_;
  const std::function<void(const PolicyQuery&)> before_;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SEARCH_FORWARDING_H_
