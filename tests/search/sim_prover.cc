#include "tests/search/sim_prover.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "search/candidates.h"

namespace thor::testing {
namespace {

void NoteInFlight(std::atomic<int>& in_flight, std::atomic<int>& max_in_flight) {
  const int now = ++in_flight;
  int seen = max_in_flight.load();
  while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
  }
}

}  // namespace

class SimSession : public ProverSession {
 public:
  SimSession(SimProverBackend* backend, int index)
      : backend_(backend), gen_(backend->options_.seed * 1000003 + index) {}

  absl::StatusOr<ProofState> Start(const Theorem& theorem,
                                   absl::Duration timeout) override {
    absl::StatusOr<std::string> initial = backend_->world_->InitialState(theorem);
    if (!initial.ok()) return initial.status();
    if (!Sleep(Draw(backend_->options_.start), timeout)) {
      return absl::DeadlineExceededError("sim prover: start timed out");
    }
    return ProofState{"sim:0", {}, *initial};
  }

  StepResult Apply(const ProofState& from, const std::string& step,
                   absl::Duration timeout) override {
    ++backend_->counters_.applies;
    StepResult r;
    const absl::Time t0 = absl::Now();
    if (Lost(&r)) return r;
    NoteInFlight(backend_->counters_.in_flight, backend_->counters_.max_in_flight);
    const bool in_time = Sleep(Draw(backend_->options_.step), timeout);
    --backend_->counters_.in_flight;
    if (!in_time) {
      r.kind = StepKind::kTimeout;
      r.message = "sim prover: step timed out or was interrupted";
    } else {
      SimOutcome o = backend_->world_->Apply(from.text, step);
      r.kind = o.kind;
      r.message = o.message;
      r.state = Next(from, step, o.next_state);
    }
    r.elapsed = absl::Now() - t0;
    return r;
  }

  HammerStepResult Hammer(const ProofState& from,
                          absl::Duration timeout) override {
    ++backend_->counters_.hammers;
    HammerStepResult h;
    const absl::Time t0 = absl::Now();
    if (Lost(&h.step)) return h;
    NoteInFlight(backend_->counters_.in_flight, backend_->counters_.max_in_flight);
    SimHammer s = backend_->world_->Hammer(from.text);
    const bool in_time = Sleep(Draw(backend_->options_.hammer), timeout);
    --backend_->counters_.in_flight;
    if (s.outcome.kind == StepKind::kProofFinished && in_time) {
      h.step.kind = StepKind::kProofFinished;
      h.step.state = Next(from, s.step_text, "");
      h.step_text = s.step_text;
      h.prover = s.prover;
      h.premises = s.premises;
    } else {
      h.step.kind = in_time ? s.outcome.kind : StepKind::kTimeout;
      h.message = in_time ? s.outcome.message : "sim hammer: timed out";
      h.step.message = h.message;
    }
    h.step.elapsed = absl::Now() - t0;
    return h;
  }

  void Interrupt() override {
    ++backend_->counters_.interrupts;
    absl::MutexLock lock(&mu_);
    interrupted_ = true;
  }

 private:
  absl::Duration Draw(const Latency& l) {
    absl::MutexLock lock(&mu_);
    return l.Sample(gen_);
  }

  // Sleeps min(d, limit); false if d > limit or interrupted.
  bool Sleep(absl::Duration d, absl::Duration limit) {
    absl::MutexLock lock(&mu_);
    interrupted_ = false;
    if (d <= absl::ZeroDuration()) return true;
    const absl::Time natural_end = absl::Now() + d;
    const bool interrupted =
        mu_.AwaitWithTimeout(absl::Condition(&interrupted_), std::min(d, limit));
    const absl::Duration late =
        std::min(backend_->options_.interrupt_delay, natural_end - absl::Now());
    if ((interrupted || d > limit) && late > absl::ZeroDuration()) {
      static const bool kNever = false;
      mu_.AwaitWithTimeout(absl::Condition(&kNever), late);
    }
    return !interrupted && d <= limit;
  }

  bool Lost(StepResult* r) {
    const int n = ++backend_->calls_;
    const SimProverOptions& o = backend_->options_;
    if ((o.dead_after > 0 && n > o.dead_after) ||
        (o.lose_every > 0 && n % o.lose_every == 0)) {
      r->kind = StepKind::kProverLost;
      r->message = "sim prover: process died; replaced";
      return true;
    }
    return false;
  }

  ProofState Next(const ProofState& from, const std::string& step,
                  const std::string& text) {
    ProofState s;
    s.id = absl::StrCat("sim:", ++next_id_);
    s.steps = from.steps;
    s.steps.push_back(step);
    s.text = text;
    return s;
  }

  SimProverBackend* backend_;
  absl::Mutex mu_;
  bool interrupted_ ABSL_GUARDED_BY(mu_) = false;
  std::mt19937_64 gen_ ABSL_GUARDED_BY(mu_);
  int next_id_ = 0;
};

SimProverBackend::SimProverBackend(std::shared_ptr<const SimWorld> world,
                                   SimProverOptions options)
    : world_(std::move(world)), options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<ProverSession>> SimProverBackend::NewSession() {
  if (!options_.unavailable.empty()) {
    return absl::UnavailableError(options_.unavailable);
  }
  const int index = ++counters_.sessions;
  return std::unique_ptr<ProverSession>(new SimSession(this, index));
}

RecheckResult SimProverBackend::Recheck(const Theorem& theorem,
                                        const std::vector<std::string>& steps,
                                        absl::Duration /*timeout*/) {
  ++counters_.rechecks;
  RecheckResult r;
  absl::StatusOr<std::string> state = world_->InitialState(theorem);
  if (!state.ok()) {
    r.verdict = RecheckVerdict::kError;
    r.message = std::string(state.status().message());
    return r;
  }
  r.verdict = RecheckVerdict::kFailed;
  r.message = "sim recheck: proof incomplete";
  for (size_t i = 0; i < steps.size(); ++i) {
    // A reconstructed hammer step closes the goal the hammer proved.
    SimHammer h = world_->Hammer(*state);
    SimOutcome o = h.outcome.kind == StepKind::kProofFinished && h.step_text == steps[i]
                       ? h.outcome
                       : world_->Apply(*state, steps[i]);
    if (o.kind == StepKind::kProofFinished && i + 1 == steps.size()) {
      r.verdict = RecheckVerdict::kPassed;
      r.message.clear();
    }
    if (o.kind != StepKind::kNewState) break;
    *state = o.next_state;
  }
  if (options_.recheck_rejects) {
    r.verdict = RecheckVerdict::kFailed;
    r.message = "sim recheck: rejected on request";
  }
  return r;
}

std::string SimProverBackend::ProofText(const std::vector<std::string>& steps) const {
  return absl::StrJoin(steps, "\n");
}

// The fixture's own step rule, standing in for a bridge's allow-list: the
// cheats a test names are refused, everything else goes to the fake prover.
absl::Status SimProverBackend::CheckStep(absl::string_view step) const {
  if (step.find('\0') != absl::string_view::npos || absl::StrContains(step, "sorry") ||
      absl::StrContains(step, "admit")) {
    return absl::PermissionDeniedError(absl::StrCat("step refused: '", step, "'"));
  }
  return absl::OkStatus();
}

absl::Status SimProverBackend::ValidateTheorem(const Theorem&) const { return absl::OkStatus(); }

absl::StatusOr<std::vector<std::string>> SimProverBackend::ParseProofText(absl::string_view text) const {
  std::vector<std::string> steps = absl::StrSplit(text, '\n', absl::SkipWhitespace());
  for (const std::string& s : steps) {
    absl::Status allowed = CheckStep(s);
    if (!allowed.ok()) return allowed;
  }
  return steps;
}

SimPolicy::SimPolicy(std::shared_ptr<const SimWorld> world,
                     SimPolicyOptions options)
    : world_(std::move(world)), options_(std::move(options)), gen_(options_.seed) {}

absl::StatusOr<std::vector<Candidate>> SimPolicy::Propose(
    const PolicyQuery& query, absl::Duration deadline) {
  const int n = ++queries_;
  absl::Duration d;
  {
    absl::MutexLock lock(&mu_);
    d = options_.latency.Sample(gen_);
  }
  NoteInFlight(in_flight_, max_in_flight_);
  const absl::Time end = absl::Now() + std::min(d, deadline);
  bool cancelled = false;
  while (absl::Now() < end) {
    if (query.cancel != nullptr && query.cancel->load()) {
      cancelled = true;
      break;
    }
    absl::SleepFor(std::min(absl::Milliseconds(2), end - absl::Now()));
  }
  --in_flight_;
  if (cancelled) return absl::CancelledError("sim model: query cancelled");
  if (d > deadline) {
    return absl::DeadlineExceededError("sim model: no answer before the deadline");
  }
  if (options_.fail_every > 0 && n % options_.fail_every == 0) {
    return options_.failure;
  }
  return MergeCandidates(world_->Propose(query.state_text, query.n, query.seed,
                                         query.hammer_token));
}

}  // namespace thor::testing
