#include "isabelle_bridge/hammer_external.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/strings/strip.h"
#include "hammer/hammer.h"

namespace thor::isabelle {
namespace fs = std::filesystem;

std::string UnasciiOf(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '_' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    char c = s[i + 1];
    if (c == '_') {
      out.push_back('_');
      ++i;
    } else if (c >= 'A' && c <= 'P') {
      out.push_back(static_cast<char>(c - 'A' + ' '));
      ++i;
    } else if (i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(c)) &&
               std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
               std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
      out.push_back(static_cast<char>((c - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back('_');
    }
  }
  return out;
}

std::string IsabelleFactName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "fact_")) return "";
  size_t sep = name.find('_');
  if (sep == absl::string_view::npos || sep == 0) return "";
  for (size_t i = 0; i < sep; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return "";
  }
  name.remove_prefix(sep + 1);
  if (absl::StartsWith(name, "ATP_Olambda__")) return "";
  return UnasciiOf(name);
}

UsedFacts MapUsedPremises(const std::vector<std::string>& tptp_names) {
  UsedFacts out;
  for (const std::string& n : tptp_names) {
    if (absl::StartsWith(n, "help_") && absl::EndsWith(n, "_T")) out.typed_helper = true;
    if (absl::StrContains(n, "_ATP_Olambda__")) out.lambda_lifted = true;
    std::string fact = IsabelleFactName(n);
    if (fact.empty()) continue;
    if (std::find(out.facts.begin(), out.facts.end(), fact) == out.facts.end()) {
      out.facts.push_back(std::move(fact));
    }
  }
  return out;
}

std::string ExportStep(PisaVersion version, const ExternalHammerConfig& config,
                       const std::string& dir, const std::string& prefix) {
  const char* dest = version == PisaVersion::kIsabelle2021 ? "sledgehammer_atp_dest_dir"
                                                           : "sledgehammer_atp_problem_dest_dir";
  return absl::StrCat("supply [[", dest, " = \"", dir, "\", sledgehammer_atp_problem_prefix = \"",
                      prefix, "\"]] sledgehammer [prover = ", config.export_prover,
                      ", type_enc = ", config.type_enc, ", lam_trans = ", config.lam_trans,
                      ", fact_filter = mepo, max_facts = ", config.max_facts,
                      ", dont_learn, dont_minimize, dont_preplay, timeout = 5]");
}

std::vector<std::string> ReconstructionLadder(PisaVersion version, const UsedFacts& used) {
  const std::string f = absl::StrJoin(used.facts, " ");
  const std::string sp = f.empty() ? "" : " ";
  const std::string lam = used.lambda_lifted ? "lifting"
                          : version == PisaVersion::kIsabelle2021 ? "hide_lams"
                                                                  : "opaque_lifting";
  std::vector<std::string> ladder = {absl::StrCat("by (metis", sp, f, ")")};
  if (used.typed_helper) ladder.push_back(absl::StrCat("by (metis (full_types)", sp, f, ")"));
  if (!used.typed_helper) ladder.push_back(absl::StrCat("by (metis (full_types)", sp, f, ")"));
  ladder.push_back(absl::StrCat("by (metis (no_types, ", lam, ")", sp, f, ")"));
  ladder.push_back(absl::StrCat("by (metis (mono_tags, ", lam, ")", sp, f, ")"));
  ladder.push_back(absl::StrCat("by (meson", sp, f, ")"));
  if (version == PisaVersion::kIsabelle2021) {
    ladder.push_back(absl::StrCat("by (smt", sp, f, ")"));
  } else {
    ladder.push_back(absl::StrCat("by (smt (z3)", sp, f, ")"));
    ladder.push_back(absl::StrCat("by (smt (verit)", sp, f, ")"));
  }
  if (!f.empty()) {
    ladder.push_back(absl::StrCat("using ", f, " by auto"));
    ladder.push_back(absl::StrCat("using ", f, " by blast"));
    ladder.push_back(absl::StrCat("by (simp add: ", f, ")"));
  }
  return ladder;
}

namespace {

std::atomic<int> g_next_request{0};

// The problem file Sledgehammer wrote under `dir` with `prefix`, skipping
// the dummy prover's "_proof" output; "" if none.
std::string FindProblemFile(const fs::path& dir, const std::string& prefix) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, prefix) && !absl::StrContains(name, "_proof")) {
      return entry.path().string();
    }
  }
  return "";
}

HammerStepResult Failure(StepResult step, std::string message) {
  HammerStepResult out;
  out.step = std::move(step);
  if (out.step.kind == StepKind::kNewState || out.step.kind == StepKind::kProofFinished) {
    out.step.kind = StepKind::kStepError;
  }
  out.step.message = message;
  out.message = std::move(message);
  return out;
}

}  // namespace

ExternalHammerFn MakeExternalHammer(std::shared_ptr<const IsabelleConfig> config,
                                    std::shared_ptr<thor::hammer::Hammer> hammer) {
  if (hammer == nullptr) hammer = std::make_shared<thor::hammer::Hammer>();
  return [config, hammer](const HammerApplyFn& apply, absl::Duration timeout,
                          const std::atomic<bool>* interrupted) {
    const absl::Time deadline = absl::Now() + timeout;
    const ExternalHammerConfig& ext = config->external;
    const std::string prefix = absl::StrCat("thor", ::getpid(), "_", g_next_request++, "_");
    const fs::path dir = fs::path(ext.problem_dir) / prefix;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      return Failure(StepResult(), absl::StrCat("cannot create problem directory ", dir.string(),
                                                ": ", ec.message()));
    }
    struct Cleanup {
      fs::path dir;
      ~Cleanup() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
      }
    } cleanup{dir};
    // 1. Sledgehammer writes the problem (PISA allows a transition 10 s).
    StepResult exported = apply(ExportStep(config->version, ext, dir.string(), prefix),
                                std::min(absl::Seconds(10), deadline - absl::Now()), false,
                                nullptr);
    if (exported.kind != StepKind::kNewState && exported.kind != StepKind::kProofFinished) {
      return Failure(exported, absl::StrCat("Sledgehammer's export failed: ", exported.message));
    }
    std::string file = FindProblemFile(dir, prefix);
    if (file.empty()) {
      return Failure(exported, absl::StrCat("Sledgehammer wrote no problem file into ",
                                            dir.string(), " (is prover ", ext.export_prover,
                                            " available in this Isabelle?)"));
    }
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    // 2. Thor's portfolio solves it.
    absl::StatusOr<thor::hammer::Problem> problem = thor::hammer::ParseProblem(text.str(), dir.string());
    if (!problem.ok()) {
      return Failure(exported, absl::StrCat("cannot read Sledgehammer's problem: ",
                                            problem.status().message()));
    }
    thor::hammer::HammerOptions options;
    options.provers = ext.provers;
    options.timeout = std::max(absl::Seconds(1), deadline - absl::Now());
    // The call's own cancel flag: Interrupt() stops this call only.
    options.cancel = interrupted;
    absl::StatusOr<thor::hammer::HammerResult> solved = hammer->Solve(*problem, options);
    if (!solved.ok()) {
      return Failure(exported, absl::StrCat("hammer: ", solved.status().message()));
    }
    if (solved->status != thor::hammer::AtpStatus::kProved) {
      HammerStepResult out = Failure(
          exported, absl::StrCat("the ATP portfolio found no proof (",
                                 thor::hammer::AtpStatusName(solved->status), "): ",
                                 solved->message));
      out.step.kind = StepKind::kTimeout;
      return out;
    }
    // 3. Names back to Isabelle, 4. reconstruction through PISA.
    UsedFacts used = MapUsedPremises(solved->used_premises);
    HammerStepResult out =
        TryStepsInOrder(ReconstructionLadder(config->version, used), ext.replay_timeout, deadline,
                        apply, solved->slice);
    out.premises = solved->used_premises;
    out.prover = solved->slice;
    if (out.step_text.empty()) {
      out.message = absl::StrCat("the ATPs proved the goal from ", absl::StrJoin(used.facts, ", "),
                                 " but no reconstruction worked: ", out.message);
    }
    return out;
  };
}

}  // namespace thor::isabelle
