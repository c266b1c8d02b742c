#include "isabelle_bridge/session.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "isabelle_bridge/isabelle_rules.h"
#include "isabelle_bridge/theorem_options.h"

namespace thor::isabelle {
namespace {

std::atomic<int> g_next_session{1};

std::string PathKey(const std::vector<std::string>& steps, size_t n) {
  return absl::StrJoin(steps.begin(), steps.begin() + n, "\x1f");
}

// Steps PISA would divert to its own hammer; the search asks for the hammer
// through Hammer() instead.
bool IsHammerKeyword(absl::string_view step) {
  step = absl::StripAsciiWhitespace(step);
  return step == "sledgehammer" || absl::StartsWith(step, "normalhammer") ||
         absl::StartsWith(step, "metishammer") || absl::StartsWith(step, "delhammer");
}

}  // namespace

IsabelleSession::IsabelleSession(std::shared_ptr<const IsabelleConfig> config,
                                 PisaServerPool* pool, ExternalHammerFn external)
    : config_(std::move(config)),
      pool_(pool),
      external_(std::move(external)),
      id_(g_next_session.fetch_add(1)) {}

IsabelleSession::~IsabelleSession() {
  // The theory file Thor wrote for PISA is this session's alone.
  if (target_.staged) {
    std::error_code ignored;
    std::filesystem::remove(target_.theory_file, ignored);
  }
  if (!lease_.valid()) return;
  if (started_ && !broken_) {
    // Destroy this session's Isabelle process: PISA would otherwise keep it
    // when the next session's IsabelleContext creates a new one.
    if (!client()->Exit(absl::Now() + absl::Seconds(10)).ok()) broken_ = true;
  }
  if (broken_) lease_.MarkBroken();
}

std::shared_ptr<PisaClient> IsabelleSession::client() const {
  absl::MutexLock lock(&mu_);
  return client_;
}

std::string IsabelleSession::server_address() const {
  std::shared_ptr<PisaClient> c = client();
  return c ? c->address() : std::string();
}

std::string IsabelleSession::NewName() { return absl::StrCat("thor", id_, "_", next_name_++); }

absl::Status IsabelleSession::Establish(absl::Time deadline) {
  std::shared_ptr<PisaClient> c = client();
  absl::Status s = c->InitialiseIsabelle(config_->isabelle_home, deadline);
  if (s.ok()) s = c->WorkingDirectory(target_.working_directory, deadline);
  if (s.ok()) {
    s = c->Context(target_.theory_file, deadline);
    if (absl::IsInternal(s)) {
      return absl::UnavailableError(absl::StrCat(
          "PISA could not start Isabelle (session ", target_.session, ") on ",
          target_.theory_file, ": ", s.message(),
          ". Check isabelle-home and that the session's heap is built"));
    }
  }
  if (!s.ok()) return s;
  absl::StatusOr<std::string> text = c->ProceedAfter(target_.statement, deadline);
  if (!text.ok()) {
    if (absl::IsNotFound(text.status())) return absl::InvalidArgumentError(text.status().message());
    return text.status();
  }
  s = c->Initialise(deadline);
  if (!s.ok()) return s;
  absl::StatusOr<bool> finished = c->IsFinished(std::string(kDefaultState), deadline);
  if (!finished.ok()) return finished.status();
  if (*finished) {
    return absl::InvalidArgumentError(
        "the statement leaves no goal to prove (PISA reports proof level 0)");
  }
  names_.clear();
  by_path_.clear();
  names_[std::string(kDefaultState)] = {};
  by_path_[""] = std::string(kDefaultState);
  initial_text_ = *text;
  return absl::OkStatus();
}

absl::StatusOr<ProofState> IsabelleSession::Start(const Theorem& theorem,
                                                  absl::Duration timeout) {
  if (started_ || lease_.valid()) {
    return absl::FailedPreconditionError("IsabelleSession::Start called twice");
  }
  const absl::Time deadline = absl::Now() + timeout;
  // The theorem is hostile data: validated before PISA (or a file Thor
  // writes for PISA) sees any of it.
  if (absl::Status valid = ValidateIsabelleTheorem(theorem); !valid.ok()) return valid;
  Theorem t = theorem;
  if (SessionOf(t).empty()) t.options.Set(kSessionOption, config_->default_session);
  absl::StatusOr<PisaTarget> target =
      ResolvePisaTarget(t, LayoutOptions{config_->staging_dir, config_->afp_dir,
                                         absl::StrCat("_", ::getpid(), "_", id_)});
  if (!target.ok()) return target.status();
  target_ = *std::move(target);
  // Wait for a free server in short slices so that Interrupt() ends the wait.
  const absl::Time acquire_deadline =
      std::min(deadline, absl::Now() + config_->acquire_timeout);
  absl::StatusOr<PisaServerPool::Lease> lease;
  do {
    if (interrupted_) return absl::CancelledError("interrupted while waiting for a PISA server");
    lease = pool_->Acquire(
        std::max(absl::ZeroDuration(),
                 std::min(absl::Milliseconds(100), acquire_deadline - absl::Now())));
  } while (!lease.ok() && absl::IsDeadlineExceeded(lease.status()) &&
           absl::Now() < acquire_deadline);
  if (!lease.ok()) {
    if (!absl::IsDeadlineExceeded(lease.status())) return lease.status();
    return absl::DeadlineExceededError(absl::StrCat(
        "all ", pool_->size(), " PISA servers stayed busy (one session per server); add "
        "servers (pisa-servers, more --pisa addresses) or run fewer sessions at once"));
  }
  lease_ = *std::move(lease);
  {
    absl::MutexLock lock(&mu_);
    client_ = lease_.client();
  }
  absl::Status s = Establish(deadline);
  if (!s.ok()) {
    if (absl::IsDeadlineExceeded(s) || absl::IsUnavailable(s) || absl::IsCancelled(s)) {
      broken_ = true;
    }
    return s;
  }
  started_ = true;
  return ProofState{std::string(kDefaultState), {}, initial_text_};
}

StepResult IsabelleSession::Lost(StepKind kind, const std::string& why, absl::Time start) {
  StepResult r;
  r.kind = kind;
  r.message = why;
  r.elapsed = absl::Now() - start;
  return r;
}

absl::Status IsabelleSession::EnsureServer() {
  if (!broken_) return absl::OkStatus();
  const absl::Time deadline = absl::Now() + config_->startup_timeout;
  absl::Status s = lease_.Replace(broken_reason_, deadline);
  if (!s.ok()) return s;
  {
    absl::MutexLock lock(&mu_);
    client_ = lease_.client();
  }
  broken_ = false;
  s = Establish(deadline);
  if (!s.ok()) {
    broken_ = true;
    broken_reason_ = std::string(s.message());
  }
  return s;
}

StepResult IsabelleSession::ApplyNamed(const std::string& from_name,
                                       const std::vector<std::string>& from_steps,
                                       const std::string& step, absl::Duration timeout,
                                       bool native, std::string* applied) {
  const absl::Time start = absl::Now();
  if (broken_) return Lost(StepKind::kProverLost, broken_reason_, start);
  if (interrupted_) return Lost(StepKind::kTimeout, "interrupted", start);
  const std::string name = NewName();
  const absl::Time deadline = start + timeout + config_->rpc_grace;
  std::shared_ptr<PisaClient> c = client();
  absl::StatusOr<ApplyReply> reply = c->Apply(from_name, step, name, native, deadline);
  absl::StatusOr<bool> finished = false;
  if (reply.ok() && reply->kind == ApplyReply::Kind::kState) {
    // A cheap query: its own short deadline, so a step that used most of its
    // time does not make a healthy server look hung.
    finished = c->IsFinished(name, absl::Now() + config_->rpc_grace + absl::Seconds(5));
  }
  absl::Status rpc = reply.ok() ? finished.status() : reply.status();
  if (!rpc.ok()) {
    if (absl::IsDeadlineExceeded(rpc) || absl::IsCancelled(rpc) || absl::IsUnavailable(rpc)) {
      broken_ = true;
      broken_reason_ = std::string(rpc.message());
      if (absl::IsUnavailable(rpc)) {
        return Lost(StepKind::kProverLost,
                    absl::StrCat("the PISA server was lost (", rpc.message(),
                                 "); it will be replaced"),
                    start);
      }
      return Lost(StepKind::kTimeout,
                  absl::StrCat(absl::IsCancelled(rpc) ? "interrupted" : "no reply in time",
                               " (", rpc.message(), "); the PISA server will be restarted"),
                  start);
    }
    return Lost(StepKind::kStepError, std::string(rpc.message()), start);
  }
  StepResult r;
  switch (reply->kind) {
    case ApplyReply::Kind::kState: {
      std::vector<std::string> steps = from_steps;
      steps.push_back(native ? reply->hammer_step : step);
      if (native && applied != nullptr) *applied = reply->hammer_step;
      by_path_[PathKey(steps, steps.size())] = name;
      r.kind = *finished ? StepKind::kProofFinished : StepKind::kNewState;
      r.state = ProofState{name, steps, reply->state};
      names_[name] = std::move(steps);
      break;
    }
    case ApplyReply::Kind::kStepError:
      r.kind = StepKind::kStepError;
      r.message = reply->message;
      break;
    case ApplyReply::Kind::kTimeout:
      r.kind = StepKind::kTimeout;
      r.message = reply->message;
      break;
    case ApplyReply::Kind::kMissingState:
      names_.erase(from_name);
      by_path_.erase(PathKey(from_steps, from_steps.size()));
      r.kind = StepKind::kProverLost;
      r.message = absl::StrCat("PISA no longer holds state ", from_name);
      break;
    case ApplyReply::Kind::kUnknownError:
    case ApplyReply::Kind::kUnrecognised:
      r.kind = StepKind::kStepError;
      r.message = absl::StrCat("PISA: ", reply->message);
      break;
  }
  r.elapsed = absl::Now() - start;
  return r;
}

absl::StatusOr<std::string> IsabelleSession::Resolve(const ProofState& from,
                                                     StepResult* failure) {
  auto known = names_.find(from.id);
  if (known != names_.end() && known->second == from.steps) return from.id;
  size_t k = from.steps.size();
  std::string name;
  for (; k > 0; --k) {
    auto it = by_path_.find(PathKey(from.steps, k));
    if (it != by_path_.end()) {
      name = it->second;
      break;
    }
  }
  if (k == 0) name = std::string(kDefaultState);
  for (size_t i = k; i < from.steps.size(); ++i) {
    std::vector<std::string> prefix(from.steps.begin(), from.steps.begin() + i);
    StepResult r = ApplyNamed(name, prefix, from.steps[i], config_->replay_step_timeout, false,
                              nullptr);
    if (r.kind != StepKind::kNewState &&
        !(r.kind == StepKind::kProofFinished && i + 1 == from.steps.size())) {
      *failure = r;
      failure->message = absl::StrCat("replaying step ", i + 1, " ('", from.steps[i],
                                       "') of the source state failed: ", r.message);
      if (r.kind == StepKind::kProofFinished) failure->kind = StepKind::kStepError;
      return absl::AbortedError(failure->message);
    }
    name = r.state.id;
  }
  return name;
}

StepResult IsabelleSession::Apply(const ProofState& from, const std::string& step,
                                  absl::Duration timeout) {
  const absl::Time start = absl::Now();
  if (!started_) return Lost(StepKind::kStepError, "session not started", start);
  absl::Status allowed = CheckIsabelleStep(step);
  if (allowed.ok()) allowed = CheckStepText(step);
  if (allowed.ok() && IsHammerKeyword(step)) {
    allowed = absl::PermissionDeniedError(
        "step refused: PISA's hammer keywords run through the hammer token, not as steps");
  }
  if (!allowed.ok()) return Lost(StepKind::kRefused, std::string(allowed.message()), start);
  interrupted_ = false;
  absl::Status server = EnsureServer();
  if (!server.ok()) return Lost(StepKind::kProverLost, std::string(server.message()), start);
  StepResult failure;
  absl::StatusOr<std::string> name = Resolve(from, &failure);
  if (!name.ok()) return failure;
  StepResult r = ApplyNamed(*name, from.steps, step, timeout, false, nullptr);
  r.elapsed = absl::Now() - start;
  return r;
}

HammerStepResult IsabelleSession::Hammer(const ProofState& from, absl::Duration timeout) {
  const absl::Time start = absl::Now();
  HammerStepResult out;
  if (!started_) {
    out.step = Lost(StepKind::kStepError, "session not started", start);
    return out;
  }
  interrupted_ = false;
  absl::Status server = EnsureServer();
  if (!server.ok()) {
    out.step = Lost(StepKind::kProverLost, std::string(server.message()), start);
    out.message = out.step.message;
    return out;
  }
  absl::StatusOr<std::string> name = Resolve(from, &out.step);
  if (!name.ok()) {
    out.message = out.step.message;
    return out;
  }
  HammerApplyFn apply = [&](const std::string& step, absl::Duration t, bool native,
                            std::string* applied) {
    return ApplyNamed(*name, from.steps, step, t, native, applied);
  };
  if (config_->hammer == HammerMode::kExternal && external_) {
    if (config_->heuristics_first) {
      out = TryStepsInOrder(config_->heuristics, config_->heuristic_timeout, start + timeout,
                            apply, "heuristic");
      if (!out.step_text.empty() || out.step.kind == StepKind::kProverLost) return out;
    }
    out = external_(apply, start + timeout - absl::Now(), &interrupted_);
  } else {
    out = RunNativeHammer(*config_, apply, timeout);
  }
  // The hammer's step is prover output, as hostile as a model's: it joins a
  // proof only if it is a step the rules allow (the re-check checks again).
  if (!out.step_text.empty()) {
    if (absl::Status allowed = CheckIsabelleStep(out.step_text); !allowed.ok()) {
      out.step = Lost(StepKind::kRefused, absl::StrCat("hammer ", allowed.message()), start);
      out.message = out.step.message;
      out.step_text.clear();
    }
  }
  out.step.elapsed = absl::Now() - start;
  return out;
}

void IsabelleSession::Interrupt() {
  interrupted_ = true;
  std::shared_ptr<PisaClient> c = client();
  if (c) c->Cancel();
}

}  // namespace thor::isabelle
