#include "coq_bridge/coq_backend.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "coq_bridge/coq_text.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_rules.h"

namespace thor::coq {
namespace {

constexpr char kInstallHint[] = "install Coq and CoqHammer: apt-get install coq libcoq-hammer";

std::string Tail(const std::string& s, size_t n) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

}  // namespace

absl::StatusOr<HammerMode> ParseHammerMode(absl::string_view name) {
  if (name == "native") return HammerMode::kNative;
  if (name == "external") return HammerMode::kExternal;
  if (name == "both") return HammerMode::kBoth;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown hammer mode '", name, "' (native, external or both)"));
}

const char* HammerModeName(HammerMode mode) {
  switch (mode) {
    case HammerMode::kNative:
      return "native";
    case HammerMode::kExternal:
      return "external";
    case HammerMode::kBoth:
      return "both";
  }
  return "?";
}

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
  pool_ = std::make_unique<CoqtopPool>(options, config_.max_idle_processes,
                                       config_.spare_processes);
}

CoqBackend::~CoqBackend() = default;

absl::StatusOr<std::unique_ptr<ProverSession>> CoqBackend::NewSession() {
  absl::Status available = CheckProgramAvailable(config_.coqtop, kInstallHint);
  if (!available.ok()) return absl::UnavailableError(available.message());
  return std::unique_ptr<ProverSession>(new CoqSession(pool_.get(), config_, atp_));
}

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

absl::StatusOr<std::string> CoqBackend::RecheckFile(const Theorem& theorem,
                                                    const std::vector<std::string>& steps) const {
  absl::StatusOr<std::string> context = ResolveContext(theorem);
  if (!context.ok()) return context.status();
  absl::StatusOr<std::string> statement = StatementSentence(theorem);
  if (!statement.ok()) return statement.status();
  std::string closing;
  std::string closable = CloseOpenBlocks(*context, &closing);
  return absl::StrCat(config_.prelude, "\n", ImportLines(theorem), closable, "\n",
                      config_.hammer_import, "\n", *statement, "\n", ProofText(steps), "\n",
                      closing);
}

RecheckResult CoqBackend::Recheck(const Theorem& theorem, const std::vector<std::string>& steps,
                                  absl::Duration timeout) {
  const absl::Time start = absl::Now();
  RecheckResult result;
  auto done = [&](RecheckVerdict verdict, std::string message) {
    result.verdict = verdict;
    result.message = std::move(message);
    result.elapsed = absl::Now() - start;
    return result;
  };
  for (const std::string& step : steps) {
    absl::Status allowed = CheckCoqStep(step);
    if (!allowed.ok()) return done(RecheckVerdict::kFailed, std::string(allowed.message()));
  }
  absl::StatusOr<std::string> text = RecheckFile(theorem, steps);
  if (!text.ok()) return done(RecheckVerdict::kError, std::string(text.status().message()));
  char tmpl[] = "/tmp/thor-coqc-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return done(RecheckVerdict::kError, "mkdtemp failed");
  const std::string dir = tmpl;
  {
    // Named Top.v so the library is "Top", as in coqtop, where the proof
    // was found (CoqHammer's tactics may name context lemmas Top.x).
    std::ofstream out(dir + "/Top.v");
    out << *text;
  }
  SubprocessOptions options;
  options.argv = {config_.coqc, "-q", "Top.v"};
  options.cwd = dir;
  const char* path = std::getenv("PATH");
  options.env = {absl::StrCat("PATH=/usr/libexec/coq-hammer:", path ? path : "/usr/bin:/bin"),
                 absl::StrCat("TMPDIR=", dir)};
  options.memory_limit_bytes = config_.memory_limit_bytes;
  options.merge_stderr = true;
  absl::StatusOr<RunResult> run = RunSubprocess(options, "", timeout);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!run.ok()) {
    return done(RecheckVerdict::kError,
                absl::StrCat(run.status().message(), " (", kInstallHint, ")"));
  }
  if (run->timed_out) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqc did not finish within ", absl::FormatDuration(timeout)));
  }
  if (run->exit_code != 0) {
    return done(RecheckVerdict::kFailed,
                absl::StrCat("coqc rejected the proof: ",
                             Tail(std::string(absl::StripAsciiWhitespace(run->out)), 1500)));
  }
  return done(RecheckVerdict::kPassed, "coqc accepted the proof");
}

}  // namespace thor::coq
