// The external hammer: CoqHammer writes the goal and its premise selection
// as TPTP (Debug + GSMode 0, ATPs switched off), Thor's portfolio (the
// AtpRunner) proves it, and CoqHammer's sauto family replays the proof from
// the premises the ATP used.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "coq_bridge/coq_session.h"
#include "coq_bridge/hammer_output.h"

namespace thor::coq {
namespace {

// Deletes CoqHammer's temporary files (problems, predictor input) in `dir`.
void RemoveHammerFiles(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "coqhammer") || absl::StartsWith(name, "predict")) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

}  // namespace

std::string TooLittleForExport(absl::Duration timeout) {
  return absl::StrCat("external hammer: ", absl::FormatDuration(timeout),
                      " is too little for CoqHammer's export (it needs ",
                      absl::FormatDuration(kMinExternalHammerTime), "); not started");
}

HammerStepResult CoqSession::ExternalHammer(const ProofState& from, absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  auto fail = [start](StepKind kind, std::string message) {
    return HammerFailure(kind, std::move(message), start);
  };
  if (!atp_) return fail(StepKind::kStepError, "external hammer: no ATP portfolio configured");
  if (timeout < kMinExternalHammerTime) return fail(StepKind::kTimeout, TooLittleForExport(timeout));
  absl::Status s = EnsureLoaded(deadline);
  if (s.ok()) s = GoTo(from, deadline);
  if (!s.ok()) return fail(StepKind::kProverLost, absl::StrCat("cannot reach the state: ", s.message()));
  const int before = live_.back().state;
  Coqtop* coq;
  {
    absl::MutexLock lock(&mu_);
    coq = coq_.get();
  }
  // Prover detection at a process's first hammer call turns the ATPs back
  // on; ATPLimit 1 bounds what they cost then.
  const int export_limit = std::max(1, static_cast<int>(absl::ToDoubleSeconds(timeout) - 0.5));
  std::string command = absl::StrCat(
      "Unset Default Timeout.\nSet Hammer Debug.\nSet Hammer GSMode 0.\nSet Hammer SAutoLimit 0.\nSet Hammer ATPLimit 1.\n"
      "Set Hammer Predictions ", config_.export_predictions, ".\nSet Hammer PredictMethod \"",
      config_.export_method, "\".\nUnset Hammer Eprover.\nUnset Hammer CVC4.\n"
      "Unset Hammer Vampire.\nUnset Hammer Z3.\nTimeout ", export_limit, " hammer.");
  // Killing the detection-time ATPs at the limit lets the hammer return.
  absl::StatusOr<CoqReply> reply =
      coq->Run(command, deadline + absl::Seconds(2), start + absl::Seconds(export_limit),
               /*kill_at_deadline=*/true);
  coq->KillStrayChildren();
  if (!reply.ok()) {
    DropProcess();
    return fail(absl::IsDeadlineExceeded(reply.status()) ? StepKind::kTimeout : StepKind::kProverLost,
                absl::StrCat("external hammer export: ", reply.status().message()));
  }
  const std::string output = reply->sentences.empty() ? "" : reply->sentences.back().output;
  if (reply->interrupted) {
    DropProcess();
    return fail(StepKind::kTimeout, "external hammer: interrupted in export (coqtop replaced)");
  }
  if (!UndoTo(before).ok()) return fail(StepKind::kProverLost, "coqtop could not undo the export");
  const std::string path = ExportedProblemPath(output);
  std::string tptp;
  if (!path.empty()) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    tptp = buffer.str();
  }
  RemoveHammerFiles(coq->tmpdir());
  if (tptp.empty()) {
    if (reply->interrupted) return fail(StepKind::kTimeout, "external hammer: out of time in export");
    return fail(StepKind::kStepError,
                absl::StrCat("CoqHammer exported no problem: ", StripCoqNoise(output)));
  }
  // Keep a third of what is left (at most 6 s) for the reconstruction.
  absl::Duration left = deadline - absl::Now();
  absl::Duration atp_budget = left - std::min(left / 3, absl::Seconds(6));
  if (atp_budget <= absl::ZeroDuration()) return fail(StepKind::kTimeout, "external hammer: out of time");
  absl::StatusOr<hammer::HammerResult> atp = atp_(tptp, coq->tmpdir(), atp_budget, &interrupted_);
  if (!atp.ok()) {
    return fail(StepKind::kStepError, absl::StrCat("ATP portfolio: ", atp.status().message()));
  }
  if (atp->status != hammer::AtpStatus::kProved) {
    return fail(interrupted_ ? StepKind::kTimeout : StepKind::kStepError,
                absl::StrCat("ATP portfolio found no proof: ",
                             hammer::AtpStatusName(atp->status), ": ", atp->message));
  }
  CoqPremises premises = ClassifyTptpPremises(atp->used_premises);
  HammerStepResult replay =
      Reconstruct(from, ReconstructionTactics(premises), config_.reconstruction_timeout,
                  std::max(deadline, absl::Now() + config_.reconstruction_timeout));
  replay.prover = atp->slice;
  replay.premises = atp->used_premises;
  replay.step.elapsed = absl::Now() - start;
  return replay;
}

}  // namespace thor::coq
