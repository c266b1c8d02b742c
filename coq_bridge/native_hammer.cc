// CoqHammer's own `hammer` tactic as one path of CoqSession::Hammer, under
// Thor's time limit (Coq's Timeout inside, SIGINT/kill by the OS outside),
// with CoqHammer's forked ATPs killed after every call.
#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_session.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/hammer_output.h"

namespace thor::coq {
namespace {

// "Unset Hammer X." for each ATP CoqHammer would run that is not installed.
// CoqHammer detects the provers once, in a warm-up that is then undone
// (BackTo), and the undo takes the detection with it: the hammer then starts
// a missing vampire, and "Error running vampire" ends the whole call when it
// comes before another ATP's proof, which on a loaded machine it does.
const std::string& UnsetMissingAtps() {
  static const std::string* const unset = [] {
    auto* out = new std::string;
    for (const auto& [option, program] :
         {std::pair{"Vampire", "vampire"}, std::pair{"Eprover", "eprover"},
          std::pair{"Z3", "z3_tptp"}, std::pair{"CVC4", "cvc4"}}) {
      if (FindProgram(program).empty()) absl::StrAppend(out, "Unset Hammer ", option, ".\n");
    }
    return out;
  }();
  return *unset;
}

constexpr absl::Duration kHammerGrace = absl::Seconds(2);

}  // namespace

HammerStepResult CoqSession::Reconstruct(const ProofState& from,
                                         const std::vector<std::string>& tactics,
                                         absl::Duration per_tactic, absl::Time deadline) {
  HammerStepResult result;
  std::vector<std::string> errors;
  for (const std::string& tactic : tactics) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration() || interrupted_) break;
    StepResult r = Apply(from, tactic, std::min(per_tactic, left));
    if (r.kind == StepKind::kProofFinished || r.kind == StepKind::kNewState) {
      result.step = std::move(r);
      result.step_text = tactic;
      return result;
    }
    errors.push_back(absl::StrCat(tactic, ": ", StepKindName(r.kind)));
  }
  result.step.kind = interrupted_ ? StepKind::kTimeout : StepKind::kStepError;
  result.message = absl::StrCat("reconstruction failed (", absl::StrJoin(errors, "; "), ")");
  result.step.message = result.message;
  return result;
}

HammerStepResult CoqSession::HammerFailure(StepKind kind, std::string message,
                                           absl::Time start) {
  HammerStepResult result;
  result.step.kind = kind;
  result.step.message = message;
  result.message = std::move(message);
  result.step.elapsed = absl::Now() - start;
  return result;
}

absl::Status CoqSession::UndoTo(int before) {
  absl::Status s = BackTo(before, absl::Now() + absl::Seconds(5));
  if (!s.ok()) return s;
  size_t k = 0;
  while (k + 1 < live_.size() && live_[k].state != before) ++k;
  live_.resize(k + 1);
  return absl::OkStatus();
}

HammerStepResult CoqSession::NativeHammer(const ProofState& from, absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  auto fail = [start](StepKind kind, std::string message) {
    return HammerFailure(kind, std::move(message), start);
  };
  absl::Status s = EnsureLoaded(deadline);
  if (s.ok()) s = GoTo(from, deadline);
  if (!s.ok()) return fail(StepKind::kProverLost, absl::StrCat("cannot reach the state: ", s.message()));
  const int before = live_.back().state;
  const double secs = std::max(1.0, absl::ToDoubleSeconds(timeout));
  const int reconstr_limit = std::clamp(static_cast<int>(secs * 0.15), 1, 5);
  // Coq's own Timeout fires first; the OS interrupt (SIGINT, then kill) only
  // backs it up, a grace period later: an interrupt inside CoqHammer's
  // fork/wait code can make coqtop exit.
  const int coq_limit = std::max(1, static_cast<int>(std::floor(secs - 0.5)));
  const int atp_limit = std::max(1, std::min(static_cast<int>(secs * config_.native_atp_share),
                                             coq_limit - reconstr_limit));
  std::string command = absl::StrCat(
      "Unset Default Timeout.\n", UnsetMissingAtps(), "Set Hammer ATPLimit ", atp_limit, ".\nSet Hammer ReconstrLimit ", reconstr_limit,
      ".\nSet Hammer GSMode ", config_.native_gs_mode, ".\nTimeout ", coq_limit, " hammer.");
  Coqtop* coq;
  {
    absl::MutexLock lock(&mu_);
    coq = coq_.get();
  }
  // When Coq's Timeout should fire, CoqHammer's ATPs are killed: the
  // hammer then fails by itself and coqtop answers, instead of needing an
  // interrupt that can leave it unable to BackTo (then it must be replaced).
  absl::StatusOr<CoqReply> reply =
      coq->Run(command, deadline + kHammerGrace, start + absl::Seconds(coq_limit),
               /*kill_at_deadline=*/true);
  coq->KillStrayChildren();
  if (!reply.ok()) {
    DropProcess();
    bool hung = absl::IsDeadlineExceeded(reply.status());
    return fail(hung ? StepKind::kTimeout : StepKind::kProverLost,
                absl::StrCat("native hammer: ", reply.status().message()));
  }
  std::string output = reply->sentences.empty() ? "" : reply->sentences.back().output;
  // An interrupted hammer (Interrupt()) leaves coqtop in doubt: replace it.
  if (reply->interrupted) {
    DropProcess();
    return fail(StepKind::kTimeout, "native hammer: interrupted (coqtop replaced)");
  }
  // The four settings and the hammer, after one "Unset Hammer X." per
  // missing ATP.
  const size_t sentences = 5 + static_cast<size_t>(std::count(
                                   UnsetMissingAtps().begin(), UnsetMissingAtps().end(), '\n'));
  bool failed = reply->Failed() || reply->sentences.size() != sentences;
  // If coqtop cannot go back it is dropped; the next step reloads the state.
  const bool undone = UndoTo(before).ok();
  const char* replaced = undone ? "" : " (coqtop replaced)";
  NativeHammerOutput parsed = ParseNativeHammerOutput(output);
  if (failed || parsed.tactic.empty()) {
    if (absl::StrContains(output, "Timeout!")) {
      return fail(StepKind::kTimeout, absl::StrCat("native hammer: out of time", replaced));
    }
    std::string why = StripCoqNoise(output);
    return fail(StepKind::kStepError, absl::StrCat("native hammer failed: ",
                                                   why.empty() ? "no tactic found" : why, replaced));
  }
  // Replay the printed tactic as an ordinary step, so the proof does not
  // depend on ATPs when it is replayed or re-checked.
  absl::Time replay_deadline = std::max(deadline, absl::Now() + absl::Seconds(2));
  HammerStepResult replay = Reconstruct(from, {parsed.tactic}, absl::Seconds(10), replay_deadline);
  replay.prover = parsed.prover;
  replay.premises = parsed.premises;
  if (replay.step_text.empty()) {
    replay.message = absl::StrCat("native hammer found '", parsed.tactic,
                                  "' but it did not replay: ", replay.message);
  }
  replay.step.elapsed = absl::Now() - start;
  return replay;
}

}  // namespace thor::coq
