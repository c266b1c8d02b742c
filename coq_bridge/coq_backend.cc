#include "coq_bridge/coq_backend.h"

#include <stdlib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "coq_bridge/coq_goals.h"
#include "coq_bridge/coq_kernel.h"
#include "coq_bridge/coq_text.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_rules.h"

namespace thor::coq {
namespace {

constexpr char kInstallHint[] = "install Coq and CoqHammer: apt-get install coq libcoq-hammer";

}  // namespace

CoqBackend::CoqBackend(CoqConfig config, AtpRunner atp)
    : config_(std::move(config)), atp_(std::move(atp)) {
  CoqtopOptions options;
  options.program = config_.coqtop;
  options.prelude = config_.prelude;
  if (config_.warm_hammer) {
    // predict fills the feature cache; the hammer call runs CoqHammer's
    // prover detection (once per process) here, where nothing kills the
    // provers it probes: detection cut short by a hammer call's limit
    // would leave a prover (CVC4) off for the process's whole life.
    options.warmup = absl::StrCat(config_.warmup_imports, "\n", config_.hammer_import,
                                  "\nGoal forall n : nat, n = n.\npredict 16.\n"
                                  "Set Hammer SAutoLimit 0.\nSet Hammer ATPLimit 1.\n"
                                  "try hammer.\nAbort.");
  }
  options.memory_limit_bytes = config_.memory_limit_bytes;
  // The hammer-ready process started for a light session waits idle for
  // the session's first hammer call: without room for idle processes
  // (max_idle_processes 0), sessions wait for theirs at start, as before.
  if (!options.warmup.empty() && config_.light_start && config_.max_idle_processes > 0) {
    // Starts in about a second; one idle is enough to start the next
    // session on while the warm pool refills.
    CoqtopOptions light = options;
    light.warmup.clear();
    light_pool_ = std::make_unique<CoqtopPool>(light, /*max_idle=*/1);
  }
  pool_ = std::make_unique<CoqtopPool>(options, config_.max_idle_processes,
                                       config_.spare_processes);
}

CoqBackend::~CoqBackend() = default;

absl::StatusOr<std::unique_ptr<ProverSession>> CoqBackend::NewSession() {
  absl::Status available = CheckProgramAvailable(config_.coqtop, kInstallHint);
  if (!available.ok()) return absl::UnavailableError(available.message());
  return std::unique_ptr<ProverSession>(
      new CoqSession(pool_.get(), config_, atp_, light_pool_.get()));
}

void CoqBackend::KeepWarm(int processes) { pool_->KeepWarm(processes); }

absl::Status CoqBackend::Prewarm(int processes, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<std::unique_ptr<Coqtop>> started;
  for (int i = 0; i < processes; ++i) {
    absl::StatusOr<std::unique_ptr<Coqtop>> coq = pool_->Acquire(deadline);
    if (!coq.ok()) return coq.status();
    started.push_back(std::move(*coq));
  }
  for (auto& coq : started) pool_->Release(std::move(coq));
  return absl::OkStatus();
}

std::string CoqBackend::ProofText(const std::vector<std::string>& steps) const {
  std::string text = "Proof.\n";
  for (const std::string& step : steps) {
    absl::StatusOr<std::string> s = NormalizeStep(step);
    absl::StrAppend(&text, "  ", s.ok() ? *s : step, "\n");
  }
  absl::StrAppend(&text, "Qed.");
  return text;
}

absl::Status CoqBackend::CheckStep(absl::string_view step) const { return CheckCoqStep(step); }

absl::Status CoqBackend::ValidateTheorem(const Theorem& theorem) const {
  return ValidateCoqTheorem(theorem);
}

absl::StatusOr<std::vector<std::string>> CoqBackend::ParseProofText(absl::string_view text) const {
  return ParseCoqProofText(text);
}

std::vector<StructuredGoal> CoqBackend::ParseGoals(const std::string& state_text) const {
  return ParseCoqGoals(state_text);
}

namespace {

absl::StatusOr<KernelCheckInput> KernelInput(const CoqConfig& config, const Theorem& theorem,
                                             const std::vector<std::string>& steps) {
  absl::StatusOr<std::string> context = ResolveContext(theorem);
  if (!context.ok()) return context.status();
  absl::StatusOr<std::string> statement = StatementSentence(theorem);
  if (!statement.ok()) return statement.status();
  KernelCheckInput input;
  input.prelude = config.prelude;
  input.imports = ImportLines(theorem);
  input.context = *std::move(context);
  input.hammer_import = config.hammer_import;
  input.statement = *std::move(statement);
  input.steps = steps;
  input.allowed_axioms = theorem.allowed_axioms;
  return input;
}

}  // namespace

absl::StatusOr<std::string> CoqBackend::RecheckFile(const Theorem& theorem,
                                                    const std::vector<std::string>& steps) const {
  absl::StatusOr<KernelCheckInput> input = KernelInput(config_, theorem, steps);
  if (!input.ok()) return input.status();
  absl::StatusOr<KernelCheckFile> file = BuildKernelCheckFile(*input, NewNonce());
  if (!file.ok()) return file.status();
  return std::move(file->text);
}

RecheckResult CoqBackend::Recheck(const Theorem& theorem, const std::vector<std::string>& steps,
                                  absl::Duration timeout) {
  const absl::Time start = absl::Now();
  auto refuse = [&](RecheckVerdict verdict, absl::string_view message) {
    RecheckResult result;
    result.verdict = verdict;
    result.message = std::string(message);
    result.elapsed = absl::Now() - start;
    return result;
  };
  for (const std::string& step : steps) {
    absl::Status allowed = CheckCoqStep(step);
    if (!allowed.ok()) return refuse(RecheckVerdict::kFailed, allowed.message());
  }
  absl::StatusOr<KernelCheckInput> input = KernelInput(config_, theorem, steps);
  if (!input.ok()) return refuse(RecheckVerdict::kError, input.status().message());
  KernelCheckOptions options;
  options.coqc = config_.coqc;
  options.coqchk = config_.coqchk;
  options.sandbox = config_.sandbox;
  options.memory_limit_bytes = config_.memory_limit_bytes;
  RecheckResult result = RunKernelCheck(options, *input, timeout);
  result.elapsed = absl::Now() - start;
  return result;
}

}  // namespace thor::coq
