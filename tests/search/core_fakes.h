// Fakes for tests that drive a SearchCore by hand (no threads, no real
// prover or model): the tests make the calls themselves.
#ifndef THOR_TESTS_SEARCH_CORE_FAKES_H_
#define THOR_TESTS_SEARCH_CORE_FAKES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "search/policy.h"
#include "search/prover.h"

namespace thor::testing {

// Refuses the step "admit"; everything else about it is unused here.
class FakeBackend : public ProverBackend {
 public:
  std::string Name() const override { return "fake"; }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override {
    return absl::UnimplementedError("no sessions in core tests");
  }
  absl::Status CheckStep(absl::string_view step) const override {
    if (step == "admit") return absl::PermissionDeniedError("admit is a cheat");
    return absl::OkStatus();
  }
  absl::Status ValidateTheorem(const Theorem&) const override {
    return absl::OkStatus();
  }
  RecheckResult Recheck(const Theorem&, const std::vector<std::string>&,
                        absl::Duration) override {
    return {};
  }
  std::string ProofText(const std::vector<std::string>& steps) const override {
    return absl::StrJoin(steps, " ");
  }
  absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view) const override {
    return absl::UnimplementedError("unused");
  }
};

class FakePolicy : public Policy {
 public:
  std::string Name() const override { return "fake-policy"; }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery&,
                                                 absl::Duration) override {
    return absl::UnimplementedError("the tests answer queries themselves");
  }
};

// A session that does nothing but count its interrupts.
class CountingSession : public ProverSession {
 public:
  absl::StatusOr<ProofState> Start(const Theorem&, absl::Duration) override {
    return ProofState();
  }
  StepResult Apply(const ProofState&, const std::string&, absl::Duration) override {
    return {};
  }
  HammerStepResult Hammer(const ProofState&, absl::Duration) override { return {}; }
  void Interrupt() override { ++interrupts; }
  int interrupts = 0;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SEARCH_CORE_FAKES_H_
