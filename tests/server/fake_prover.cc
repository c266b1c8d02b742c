#include "tests/server/fake_prover.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"

namespace thor::testing {

class FakeSession : public ProverSession {
 public:
  explicit FakeSession(FakeProverBackend* backend) : backend_(backend) {
    ++backend_->sessions_alive_;
  }
  ~FakeSession() override { --backend_->sessions_alive_; }

  absl::StatusOr<ProofState> Start(const Theorem& theorem, absl::Duration timeout) override {
    ++backend_->sessions_started_;
    if (backend_->options_.spawn_child) {
      SubprocessOptions o;
      o.argv = {"sleep", "600"};
      auto child = Subprocess::Start(o);
      if (!child.ok()) return child.status();
      child_ = *std::move(child);
    }
    if (!Wait(backend_->options_.start_latency, timeout)) {
      return absl::DeadlineExceededError("fake: start interrupted or timed out");
    }
    return ProofState{"0", {}, absl::StrCat("goal: ", theorem.statement)};
  }

  StepResult Apply(const ProofState& from, const std::string& step,
                   absl::Duration timeout) override {
    const absl::Time start = absl::Now();
    StepResult r;
    const bool hang = step == "hang";
    if (!Wait(hang ? absl::InfiniteDuration() : backend_->options_.step_latency, timeout)) {
      r.kind = StepKind::kTimeout;
      r.message = "fake: step stopped";
    } else if (step == "close") {
      r.kind = StepKind::kProofFinished;
      r.state = Next(from, step, "no goals");
    } else if (step == "fail") {
      r.kind = StepKind::kStepError;
      r.message = "fake: the step failed";
    } else {
      r.kind = StepKind::kNewState;
      r.state = Next(from, step, absl::StrCat(from.text, " | ", step));
    }
    r.elapsed = absl::Now() - start;
    return r;
  }

  HammerStepResult Hammer(const ProofState& from, absl::Duration timeout) override {
    HammerStepResult h;
    h.step = Apply(from, backend_->options_.hammer_hangs ? "hang" : "close", timeout);
    if (h.step.kind == StepKind::kProofFinished) {
      h.step_text = "closed_by_hammer";
      h.prover = "fake/1";
      h.premises = {"fact_a", "fact_b"};
    } else {
      h.message = "fake hammer: stopped";
    }
    return h;
  }

  void Interrupt() override {
    ++backend_->interrupts_;
    absl::MutexLock lock(&mu_);
    interrupted_ = true;
  }

 private:
  // Waits min(latency, timeout); false if interrupted or the timeout won.
  bool Wait(absl::Duration latency, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    interrupted_ = false;
    const bool timeout_first = timeout < latency;
    mu_.AwaitWithTimeout(absl::Condition(&interrupted_), std::min(latency, timeout));
    return !interrupted_ && !timeout_first;
  }

  static ProofState Next(const ProofState& from, const std::string& step, std::string text) {
    ProofState s;
    s.steps = from.steps;
    s.steps.push_back(step);
    s.id = absl::StrJoin(s.steps, "/");
    s.text = std::move(text);
    return s;
  }

  FakeProverBackend* backend_;
  std::unique_ptr<Subprocess> child_;
  absl::Mutex mu_;
  bool interrupted_ ABSL_GUARDED_BY(mu_) = false;
};

absl::StatusOr<std::unique_ptr<ProverSession>> FakeProverBackend::NewSession() {
  return std::make_unique<FakeSession>(this);
}

RecheckResult FakeProverBackend::Recheck(const Theorem&, const std::vector<std::string>& steps,
                                         absl::Duration) {
  RecheckResult r;
  const bool closes = !steps.empty() && (steps.back() == "close" ||
                                         steps.back() == "closed_by_hammer");
  const bool fails = std::find(steps.begin(), steps.end(), "fail") != steps.end();
  r.verdict = closes && !fails ? RecheckVerdict::kPassed : RecheckVerdict::kFailed;
  r.message = r.verdict == RecheckVerdict::kPassed ? "" : "fake: the proof does not close";
  return r;
}

std::string FakeProverBackend::ProofText(const std::vector<std::string>& steps) const {
  return absl::StrJoin(steps, "\n");
}

// The fixture's own step rule, standing in for a bridge's allow-list: the
// cheats a test names are refused, everything else goes to the fake prover.
absl::Status FakeProverBackend::CheckStep(absl::string_view step) const {
  if (step.find('\0') != absl::string_view::npos || absl::StrContains(step, "sorry") ||
      absl::StrContains(step, "admit")) {
    return absl::PermissionDeniedError(absl::StrCat("step refused: '", step, "'"));
  }
  return absl::OkStatus();
}

absl::Status FakeProverBackend::ValidateTheorem(const Theorem& theorem) const {
  absl::MutexLock lock(&mu_);
  last_theorem_ = theorem;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FakeProverBackend::ParseProofText(absl::string_view text) const {
  std::vector<std::string> steps = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  for (const std::string& s : steps) {
    absl::Status allowed = CheckStep(s);
    if (!allowed.ok()) return allowed;
  }
  return steps;
}

}  // namespace thor::testing
