#include "coq_bridge/coq_session.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_goals.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/coq_rules.h"

namespace thor::coq {
namespace {

constexpr absl::Duration kReloadTime = absl::Seconds(20);

// The context was read from theorem.file_path (and must not be echoed).
bool ContextFromFile(const Theorem& theorem) {
  return theorem.context.empty() && !theorem.file_path.empty();
}

StepResult Result(StepKind kind, std::string message, absl::Time start) {
  StepResult r;
  r.kind = kind;
  r.message = std::move(message);
  r.elapsed = absl::Now() - start;
  return r;
}

}  // namespace

CoqSession::CoqSession(CoqtopPool* pool, const CoqConfig& config, AtpRunner atp,
                       CoqtopPool* light_pool)
    : pool_(pool), light_pool_(light_pool), config_(config), atp_(std::move(atp)) {}

CoqSession::~CoqSession() {
  std::unique_ptr<Coqtop> coq;
  {
    absl::MutexLock lock(&mu_);
    coq = std::move(coq_);
  }
  if (coq) PoolFor(light_)->Release(std::move(coq));
}

pid_t CoqSession::CoqtopPid() const {
  absl::MutexLock lock(&mu_);
  return coq_ ? coq_->pid() : -1;
}

void CoqSession::Interrupt() {
  interrupted_ = true;
  absl::MutexLock lock(&mu_);
  if (coq_) coq_->Interrupt();
}

std::string CoqSession::StateId(int state) const {
  absl::MutexLock lock(&mu_);
  return absl::StrCat("coq-", coq_ ? coq_->id() : 0, "-", state);
}

void CoqSession::DropProcess() {
  std::unique_ptr<Coqtop> dead;
  {
    absl::MutexLock lock(&mu_);
    dead = std::move(coq_);
  }
  if (dead != nullptr) CoqTrace(dead->pid(), [] { return std::string("dropped by its session"); });
  live_.clear();
}

absl::StatusOr<std::string> CoqSession::LoadTheorem(Coqtop& coq, absl::Time deadline) {
  auto load = [&](const std::string& text) -> absl::Status {
    if (absl::StripAsciiWhitespace(text).empty()) return absl::OkStatus();
    std::string path = absl::StrCat(coq.tmpdir(), "/thor_context.v");
    {
      std::ofstream out(path, std::ios::trunc);
      out << text << "\n";
      if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
    }
    absl::StatusOr<CoqReply> r = coq.Run(absl::StrCat("Load \"", path, "\"."), deadline);
    if (!r.ok()) return r.status();
    if (r->Failed()) {
      if (ContextFromFile(theorem_)) {
        // The file's text is not the client's to see, and Coq's error
        // quotes it (Load reports no line number either).
        return absl::InvalidArgumentError(
            "Coq rejected the context read from the theorem's file (check it with coqc)");
      }
      return absl::InvalidArgumentError(
          absl::StrCat("Coq rejected the theorem's context: ", CleanCoqError(r->ErrorText())));
    }
    return absl::OkStatus();
  };
  // The pool hands out a process that fits (FitOf) only to a caller that
  // asked with this head and preamble, as Release left it; anything else is
  // at its base state.
  const absl::Time housekeeping = absl::Now() + absl::Seconds(10);
  const ContextFit fit = FitOf(coq, head_, whole_);
  if (fit == ContextFit::kWhole) {
    absl::Status s = coq.BackTo(coq.whole_state(), housekeeping);
    if (!s.ok()) return s;
  } else {
    size_t loaded = 0;
    if (fit == ContextFit::kHead) {
      absl::Status s = coq.BackTo(coq.parked_state(), housekeeping);
      if (!s.ok()) return s;
      loaded = coq.parked_text().size();
      coq.ParkWhole("", 0);
    } else {
      coq.Park("", 0);
      absl::Status s = coq.BackTo(coq.base_state(), housekeeping);
      if (!s.ok()) return s;
    }
    absl::Status s = load(head_.substr(loaded));
    if (!s.ok()) return s;
    if (!head_.empty()) coq.Park(head_, coq.state());
    s = load(whole_.substr(head_.size()));
    if (!s.ok()) return s;
    if (config_.reuse_context) coq.ParkWhole(whole_, coq.state());
  }
  absl::StatusOr<CoqReply> r = coq.Run(
      absl::StrCat("Set Default Timeout ", config_.coq_default_timeout_seconds, ".\n", statement_),
      deadline);
  if (!r.ok()) return r.status();
  if (r->Failed() || r->sentences.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("Coq rejected the statement: ", CleanCoqError(r->ErrorText())));
  }
  if (r->sentences.back().proof == "Coq") {
    return absl::InvalidArgumentError(
        absl::StrCat("the statement did not open a proof: ", statement_));
  }
  return r->sentences.back().output;
}

absl::Status CoqSession::EnsureLoaded(absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    if (coq_ && coq_->Alive() && !live_.empty()) return absl::OkStatus();
  }
  DropProcess();
  // Reloading after a lost process gets at least kReloadTime even under a
  // short step limit: a load cut off at the step's deadline would kill the
  // process again, and every later step would pay the same.
  deadline = std::max(deadline, absl::Now() + kReloadTime);
  absl::StatusOr<std::unique_ptr<Coqtop>> coq;
  absl::StatusOr<std::string> text;
  bool light = false;
  for (int attempt = 0;; ++attempt) {
    // Interrupt() (the search is over) stops the wait for a process.
    coq = AcquireProcess(deadline, &light);
    if (!coq.ok()) return coq.status();
    Report("loading_theorem", "loading the theorem's imports, context and statement");
    text = LoadTheorem(**coq, deadline);
    if (text.ok()) break;
    // A pooled process can die while idle (e.g. a late interrupt from the
    // search it served last): that says nothing about this theorem, so try
    // once more with another process.
    const bool died = absl::IsUnavailable(text.status()) && !(*coq)->Alive();
    PoolFor(light)->Release(std::move(*coq));
    if (!died || attempt > 0 || absl::Now() >= deadline) return text.status();
  }
  initial_text_ = *text;
  live_ = {Node{(*coq)->state(), ""}};
  light_ = light;
  if (light) {
    Report("hammer_loading", "CoqHammer is loading in the background; cheap steps run meanwhile");
  } else if (!pool_->options().warmup.empty()) {
    Report("hammer_ready", "");
  }
  absl::MutexLock lock(&mu_);
  coq_ = std::move(*coq);
  return absl::OkStatus();
}

absl::StatusOr<ProofState> CoqSession::Start(const Theorem& theorem, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  if (started_) return absl::FailedPreconditionError("Start() was already called");
  theorem_ = theorem;
  absl::StatusOr<std::string> context = ResolveContext(theorem);
  if (!context.ok()) return context.status();
  context_ = *context;
  // Inputs are data: nothing reaches coqtop before they validate.
  absl::Status valid = ValidateCoqInputs(theorem, context_, ContextFromFile(theorem));
  if (!valid.ok()) return valid;
  absl::StatusOr<std::string> statement = StatementSentence(theorem);
  if (!statement.ok()) return statement.status();
  statement_ = *statement;
  // Loaded in two parts: the head, which the process keeps (parks) for a
  // later theorem whose context extends it (the next theorem of the same
  // file loads only the text in between), then the rest; the process also
  // keeps the state after both, for the same preamble again.
  const std::string preamble = absl::StrCat(ImportLines(theorem_), context_);
  const size_t keep = config_.reuse_context ? ContextKeepPoint(preamble) : 0;
  head_ = preamble.substr(0, keep);
  whole_ = absl::StrCat(preamble, "\n", config_.hammer_import, "\n");
  absl::Status s = EnsureLoaded(deadline);
  if (!s.ok()) return s;
  started_ = true;
  ProofState state;
  state.id = StateId(live_[0].state);
  state.text = initial_text_;
  return state;
}

absl::Status CoqSession::BackTo(int state, absl::Time deadline) {
  Coqtop* coq;
  {
    absl::MutexLock lock(&mu_);
    coq = coq_.get();
  }
  absl::Status s = coq->BackTo(state, deadline);
  if (!s.ok()) DropProcess();
  return s;
}

absl::Status CoqSession::GoTo(const ProofState& from, absl::Time deadline) {
  // Same process and still on the live path: BackTo.
  std::vector<absl::string_view> parts = absl::StrSplit(from.id, '-');
  uint64_t process = 0;
  int state = 0;
  Coqtop* coq;
  {
    absl::MutexLock lock(&mu_);
    coq = coq_.get();
  }
  if (parts.size() == 3 && parts[0] == "coq" && absl::SimpleAtoi(parts[1], &process) &&
      absl::SimpleAtoi(parts[2], &state) && process == coq->id()) {
    for (size_t k = 0; k < live_.size(); ++k) {
      if (live_[k].state != state) continue;
      absl::Status s = BackTo(state, deadline);
      if (s.ok()) live_.resize(k + 1);
      return s;
    }
  }
  // Otherwise replay from the longest common prefix.
  size_t k = 0;
  while (k + 1 < live_.size() && k < from.steps.size() && live_[k + 1].step == from.steps[k]) ++k;
  absl::Status s = BackTo(live_[k].state, deadline);
  if (!s.ok()) return s;
  live_.resize(k + 1);
  for (size_t i = k; i < from.steps.size(); ++i) {
    absl::StatusOr<std::string> step = NormalizeStep(from.steps[i]);
    if (!step.ok()) return step.status();
    StepResult r = RunStep(*step, deadline);
    if (r.kind != StepKind::kNewState && r.kind != StepKind::kProofFinished) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot replay step ", i + 1, " '", from.steps[i], "': ", r.message));
    }
    live_.back().step = from.steps[i];
  }
  return absl::OkStatus();
}

StepResult CoqSession::RunStep(const std::string& step, absl::Time deadline) {
  const absl::Time start = absl::Now();
  Coqtop* coq;
  {
    absl::MutexLock lock(&mu_);
    coq = coq_.get();
  }
  const int before = live_.back().state;
  // `Show.` prints the goals even where Coq does not print them after a
  // step (CoqHammer's hammer leaves goal printing off in the process).
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(step);
  const int step_units = units.ok() ? static_cast<int>(units->size()) : 1;
  absl::StatusOr<CoqReply> r = coq->RunStep(absl::StrCat(step, "\nShow."), step_units, deadline);
  if (absl::IsDeadlineExceeded(r.status())) {
    DropProcess();
    return Result(StepKind::kTimeout,
                  absl::StrCat(r.status().message(), " (hung; it will be restarted)"), start);
  }
  if (!r.ok()) {
    DropProcess();
    return Result(StepKind::kProverLost, std::string(r.status().message()), start);
  }
  // The last sentence is `Show.`; it fails only outside a proof.
  bool left_proof = !r->sentences.empty() && r->sentences.back().proof == "Coq";
  if (!r->sentences.empty() && !r->interrupted) r->sentences.back().failed = false;
  bool failed = r->Failed() || r->interrupted || r->sentences.size() < 2;
  if (failed || left_proof) {
    if (coq->state() != before && !BackTo(before, absl::Now() + absl::Seconds(10)).ok()) {
      return Result(StepKind::kProverLost, "coqtop could not undo a failed step", start);
    }
    if (left_proof && !failed) return Result(StepKind::kRefused, "the step left the proof", start);
    std::string error = CleanCoqError(r->ErrorText());
    if (r->interrupted || absl::StrContains(error, "Error: Timeout!")) {
      return Result(StepKind::kTimeout, r->interrupted ? "interrupted at the time limit" : error,
                    start);
    }
    if (r->sentences.size() < 2) error = "the step is not a complete Coq sentence";
    return Result(StepKind::kStepError, error, start);
  }
  live_.push_back(Node{coq->state(), step});
  StepResult result;
  const std::string& output = r->sentences.back().output;
  result.kind = CoqNoGoalsLeft(output) ? StepKind::kProofFinished : StepKind::kNewState;
  result.state.text = output;
  result.elapsed = absl::Now() - start;
  return result;
}

StepResult CoqSession::Apply(const ProofState& from, const std::string& step,
                             absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  interrupted_ = false;
  if (!started_) return Result(StepKind::kStepError, "Start() has not succeeded", start);
  NoteHammerReady();
  // Malformed text (an unterminated comment or string) is a step error;
  // well-formed text the rules do not allow is refused.
  absl::StatusOr<std::string> normalized = NormalizeStep(step);
  if (!normalized.ok()) {
    return Result(absl::StrContains(normalized.status().message(), "reserved") ? StepKind::kRefused
                                                                               : StepKind::kStepError,
                  std::string(normalized.status().message()), start);
  }
  absl::Status allowed = CheckCoqStep(step);
  if (!allowed.ok()) return Result(StepKind::kRefused, std::string(allowed.message()), start);
  // The state's path may come from a client too: it is replayed into
  // coqtop, so it passes the same rules.
  for (size_t i = 0; i < from.steps.size(); ++i) {
    absl::Status earlier = CheckCoqStep(from.steps[i]);
    if (!earlier.ok()) {
      return Result(StepKind::kRefused,
                    absl::StrCat("the state's step ", i + 1, ": ", earlier.message()), start);
    }
  }
  absl::Status s = EnsureLoaded(deadline);
  if (s.ok()) s = GoTo(from, deadline);
  if (!s.ok()) {
    bool lost = absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s);
    return Result(absl::IsCancelled(s) ? StepKind::kTimeout
                  : lost               ? StepKind::kProverLost
                                       : StepKind::kStepError,
                  absl::StrCat("cannot reach the state: ", s.message()), start);
  }
  StepResult r = RunStep(*normalized, deadline);
  if (r.kind == StepKind::kNewState || r.kind == StepKind::kProofFinished) {
    live_.back().step = step;
    r.state.steps = from.steps;
    r.state.steps.push_back(step);
    r.state.id = StateId(live_.back().state);
  }
  if (interrupted_ && r.kind == StepKind::kStepError) r.kind = StepKind::kTimeout;
  r.elapsed = absl::Now() - start;
  return r;
}

HammerStepResult CoqSession::Hammer(const ProofState& from, absl::Duration timeout) {
  interrupted_ = false;
  if (!started_) {
    HammerStepResult r;
    r.message = "Start() has not succeeded";
    r.step.message = r.message;
    return r;
  }
  const absl::Time start = absl::Now();
  if (config_.hammer_mode == HammerMode::kExternal && timeout < kMinExternalHammerTime) {
    return HammerFailure(StepKind::kTimeout, TooLittleForExport(timeout), start);
  }
  // A session started on a light process moves to a hammer-ready one first,
  // waiting for it within the call's time limit.
  absl::Status ready = EnsureHammerReady(start + timeout);
  if (!ready.ok()) {
    const bool late = absl::IsDeadlineExceeded(ready) || absl::IsCancelled(ready);
    return HammerFailure(late                       ? StepKind::kTimeout
                         : absl::IsUnavailable(ready) ? StepKind::kProverLost
                                                      : StepKind::kStepError,
                         absl::StrCat("CoqHammer was not ready: ", ready.message()), start);
  }
  timeout = std::max(absl::ZeroDuration(), start + timeout - absl::Now());
  switch (config_.hammer_mode) {
    case HammerMode::kNative:
      return NativeHammer(from, timeout);
    case HammerMode::kExternal:
      return ExternalHammer(from, timeout);
    case HammerMode::kBoth: {
      const absl::Time deadline = absl::Now() + timeout;
      HammerStepResult r = NativeHammer(from, timeout / 2);
      if (r.step.kind == StepKind::kNewState || r.step.kind == StepKind::kProofFinished ||
          interrupted_) {
        return r;
      }
      HammerStepResult ext = ExternalHammer(from, deadline - absl::Now());
      if (ext.step.kind != StepKind::kNewState && ext.step.kind != StepKind::kProofFinished) {
        ext.message = absl::StrCat("native: ", r.message, "; external: ", ext.message);
      }
      return ext;
    }
  }
  return HammerStepResult();
}

}  // namespace thor::coq
