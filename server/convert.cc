#include "server/convert.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bounded_text.h"
#include "server/client_paths.h"
#include "server/rpc_util.h"

namespace thor {
namespace {

// A statement is one term or one theorem sentence; anything near this is an
// attack or a mistake, and it is echoed in the first state of every search.
constexpr size_t kMaxStatementBytes = size_t{1} << 20;

constexpr size_t kMaxNameBytes = 512;
constexpr size_t kMaxStepBytes = 64 << 10;
constexpr size_t kMaxSteps = 10000;
constexpr double kMaxTemperature = 10.0;

absl::Status Invalid(const std::string& field, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

bool HasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

// A short one-line text (names, paths, imports).
absl::Status CheckLine(const std::string& s, const std::string& field) {
  if (s.size() > kMaxNameBytes) {
    return Invalid(field, absl::StrCat("too long (", s.size(), " bytes; at most ",
                                       kMaxNameBytes, ")"));
  }
  if (HasNul(s) || s.find('\n') != std::string::npos) {
    return Invalid(field, "must be one line without NUL characters");
  }
  return absl::OkStatus();
}

absl::Status CheckCount(bool has, uint32_t value, uint32_t min, uint32_t max,
                        const std::string& field) {
  if (has && (value < min || value > max)) {
    return Invalid(field, absl::StrCat("must be between ", min, " and ", max, " (got ",
                                       value, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Theorem> TheoremFromProto(const v1::Theorem& t, const std::string& field,
                                         const std::string& file_root) {
  if (t.prover().empty()) return Invalid(field + ".prover", "required: the prover's name");
  if (absl::Status s = CheckLine(t.prover(), field + ".prover"); !s.ok()) return s;
  if (t.statement().empty() || t.statement().find_first_not_of(" \t\r\n") == std::string::npos) {
    return Invalid(field + ".statement", "required: the statement as the prover reads it");
  }
  if (HasNul(t.statement())) return Invalid(field + ".statement", "contains a NUL character");
  if (t.statement().size() > kMaxStatementBytes) {
    return Invalid(field + ".statement", absl::StrCat(t.statement().size(), " bytes; at most ",
                                                      kMaxStatementBytes, " (one statement)"));
  }
  if (HasNul(t.context())) return Invalid(field + ".context", "contains a NUL character");
  for (const auto& [value, name] :
       {std::pair{&t.name(), "name"}, std::pair{&t.file_path(), "file_path"},
        std::pair{&t.session(), kSessionOption},
        std::pair{&t.working_directory(), kWorkingDirectoryOption}}) {
    if (absl::Status s = CheckLine(*value, absl::StrCat(field, ".", name)); !s.ok()) return s;
  }
  Theorem out;
  for (int i = 0; i < t.imports_size(); ++i) {
    const std::string where = absl::StrCat(field, ".imports[", i, "]");
    if (t.imports(i).empty()) return Invalid(where, "empty import");
    if (absl::Status s = CheckLine(t.imports(i), where); !s.ok()) return s;
    out.imports.push_back(t.imports(i));
  }
  for (int i = 0; i < t.allowed_axioms_size(); ++i) {
    const std::string where = absl::StrCat(field, ".allowed_axioms[", i, "]");
    if (t.allowed_axioms(i).empty()) return Invalid(where, "empty axiom name");
    if (absl::Status s = CheckLine(t.allowed_axioms(i), where); !s.ok()) return s;
    out.allowed_axioms.push_back(t.allowed_axioms(i));
  }
  out.prover = t.prover();
  out.name = t.name();
  out.context = t.context();
  out.statement = t.statement();
  // Prover-specific fields become options keyed by the field's name.
  out.options.Set(kSessionOption, t.session());
  // The bridges read these paths (a theory file, the context before the
  // statement, a working directory): only inside the operator's root, and
  // from here on by their canonical form, so a later symlink swap outside
  // the root changes nothing.
  if (!t.file_path().empty()) {
    absl::StatusOr<std::string> path =
        ResolveClientPath(t.file_path(), file_root, PathKind::kRegularFile, field + ".file_path");
    if (!path.ok()) return path.status();
    out.file_path = *path;
  }
  if (!t.working_directory().empty()) {
    absl::StatusOr<std::string> dir =
        ResolveClientPath(t.working_directory(), file_root, PathKind::kDirectory,
                          field + ".working_directory");
    if (!dir.ok()) return dir.status();
    out.options.Set(kWorkingDirectoryOption, *dir);
  }
  return out;
}

absl::Status CheckSteps(const google::protobuf::RepeatedPtrField<std::string>& steps,
                        const std::string& field) {
  if (static_cast<size_t>(steps.size()) > kMaxSteps) {
    return Invalid(field, absl::StrCat("too many steps (", steps.size(), "; at most ",
                                       kMaxSteps, ")"));
  }
  for (int i = 0; i < steps.size(); ++i) {
    if (absl::Status s = CheckStepText(steps.Get(i), absl::StrCat(field, "[", i, "]")); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStepText(const std::string& step, const std::string& field) {
  if (step.find_first_not_of(" \t\r\n") == std::string::npos) return Invalid(field, "empty step");
  if (step.size() > kMaxStepBytes) return Invalid(field, "step too long");
  if (HasNul(step)) return Invalid(field, "contains a NUL character");
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> SecondsField(bool has, double seconds, absl::Duration fallback,
                                            absl::Duration max, const std::string& field) {
  if (!has) return std::min(fallback, max);
  if (!std::isfinite(seconds) || seconds <= 0) {
    return Invalid(field, absl::StrCat("must be a positive number of seconds (got ",
                                       seconds, ")"));
  }
  return std::min(absl::Seconds(seconds), max);
}

absl::StatusOr<SearchConfig> SearchConfigFromProto(const v1::SearchConfig& c,
                                                   const ServerConfig& server,
                                                   const std::string& field) {
  const BudgetClamps& m = server.clamps;
  SearchConfig out = server.search_defaults;
  auto f = [&](const char* name) { return absl::StrCat(field, ".", name); };
  constexpr uint32_t kBig = 1u << 30;
  for (const auto& [has, value, name] :
       {std::tuple{c.has_queue_size(), c.queue_size(), "queue_size"},
        std::tuple{c.has_max_model_queries(), c.max_model_queries(), "max_model_queries"},
        std::tuple{c.has_samples_per_query(), c.samples_per_query(), "samples_per_query"},
        std::tuple{c.has_max_inflight_queries(), c.max_inflight_queries(), "max_inflight_queries"},
        std::tuple{c.has_max_inflight_steps(), c.max_inflight_steps(), "max_inflight_steps"}}) {
    if (absl::Status s = CheckCount(has, value, 1, kBig, f(name)); !s.ok()) return s;
  }
  if (c.has_temperature() &&
      (!std::isfinite(c.temperature()) || c.temperature() < 0 ||
       c.temperature() > kMaxTemperature)) {
    return Invalid(f("temperature"), absl::StrCat("must be between 0 and ", kMaxTemperature,
                                                  " (got ", c.temperature(), ")"));
  }
  auto clamp = [](bool has, uint32_t value, int fallback, int max) {
    return std::min<int64_t>(has ? value : fallback, max);
  };
  out.queue_size = clamp(c.has_queue_size(), c.queue_size(), out.queue_size, m.max_queue_size);
  out.max_model_queries = clamp(c.has_max_model_queries(), c.max_model_queries(),
                                out.max_model_queries, m.max_model_queries);
  out.samples_per_query = clamp(c.has_samples_per_query(), c.samples_per_query(),
                                out.samples_per_query, m.max_samples_per_query);
  out.max_inflight_queries = clamp(c.has_max_inflight_queries(), c.max_inflight_queries(),
                                   out.max_inflight_queries, m.max_inflight_queries);
  out.max_inflight_steps = clamp(c.has_max_inflight_steps(), c.max_inflight_steps(),
                                 out.max_inflight_steps, m.max_inflight_steps);
  if (c.has_temperature()) out.temperature = c.temperature();
  auto wall = SecondsField(c.has_wall_time_s(), c.wall_time_s(), out.wall_time,
                           m.max_wall_time, f("wall_time_s"));
  if (!wall.ok()) return wall.status();
  auto step = SecondsField(c.has_step_timeout_s(), c.step_timeout_s(), out.step_timeout,
                           m.max_step_timeout, f("step_timeout_s"));
  if (!step.ok()) return step.status();
  auto hammer = SecondsField(c.has_hammer_timeout_s(), c.hammer_timeout_s(), out.hammer_timeout,
                             m.max_hammer_timeout, f("hammer_timeout_s"));
  if (!hammer.ok()) return hammer.status();
  out.wall_time = *wall;
  out.step_timeout = *step;
  out.hammer_timeout = *hammer;
  if (!c.hammer_token().empty()) {
    if (absl::Status s = CheckLine(c.hammer_token(), f("hammer_token")); !s.ok()) return s;
    if (c.hammer_token().size() > 64) return Invalid(f("hammer_token"), "at most 64 bytes");
    out.hammer_token = c.hammer_token();
  }
  if (absl::Status s = CheckLine(c.policy(), f("policy")); !s.ok()) return s;
  out.sequential = c.sequential();
  out.seed = c.seed();
  out.reproducible = c.reproducible();
  out.skip_recheck = c.skip_recheck();
  if (c.has_root_hammer_place()) {
    if (c.root_hammer_place() > static_cast<int32_t>(kBig)) {
      return Invalid(f("root_hammer_place"),
                     absl::StrCat("must be at most ", kBig, " (negative: the policy's order; got ",
                                  c.root_hammer_place(), ")"));
    }
    out.root_hammer_place = std::max(-1, c.root_hammer_place());
  }
  return out;
}

void SearchConfigToProto(const SearchConfig& c, v1::SearchConfig* out) {
  out->set_queue_size(c.queue_size);
  out->set_temperature(c.temperature);
  out->set_max_model_queries(c.max_model_queries);
  out->set_wall_time_s(absl::ToDoubleSeconds(c.wall_time));
  out->set_step_timeout_s(absl::ToDoubleSeconds(c.step_timeout));
  out->set_hammer_timeout_s(absl::ToDoubleSeconds(c.hammer_timeout));
  out->set_samples_per_query(c.samples_per_query);
  out->set_max_inflight_queries(c.max_inflight_queries);
  out->set_max_inflight_steps(c.max_inflight_steps);
  out->set_sequential(c.sequential);
  out->set_seed(c.seed);
  out->set_reproducible(c.reproducible);
  out->set_skip_recheck(c.skip_recheck);
  out->set_hammer_token(c.hammer_token);
  out->set_root_hammer_place(c.root_hammer_place);
}

v1::StepOutcome::Kind StepKindToProto(StepKind kind) {
  switch (kind) {
    case StepKind::kNewState: return v1::StepOutcome::NEW_STATE;
    case StepKind::kProofFinished: return v1::StepOutcome::PROOF_FINISHED;
    case StepKind::kStepError: return v1::StepOutcome::STEP_ERROR;
    case StepKind::kTimeout: return v1::StepOutcome::TIMEOUT;
    case StepKind::kProverLost: return v1::StepOutcome::PROVER_LOST;
    case StepKind::kRefused: return v1::StepOutcome::REFUSED;
  }
  return v1::StepOutcome::KIND_UNSPECIFIED;
}

void StepResultToProto(const StepResult& r, v1::StepOutcome* out) {
  out->set_kind(StepKindToProto(r.kind));
  if (r.kind == StepKind::kNewState) out->set_state_text(r.state.text);
  out->set_message(BoundedText(r.message));
  out->set_elapsed_s(absl::ToDoubleSeconds(r.elapsed));
}

void PreparingEventToProto(const PreparingEvent& e, v1::PreparingProver* out) {
  out->set_phase(e.phase);
  out->set_prover(e.prover);
  out->set_message(BoundedText(e.message));
}

v1::RecheckVerdict RecheckVerdictToProto(RecheckVerdict v) {
  switch (v) {
    case RecheckVerdict::kPassed: return v1::RECHECK_PASSED;
    case RecheckVerdict::kFailed: return v1::RECHECK_FAILED;
    case RecheckVerdict::kSkipped: return v1::RECHECK_SKIPPED;
    case RecheckVerdict::kError: return v1::RECHECK_ERROR;
  }
  return v1::RECHECK_UNSPECIFIED;
}

absl::StatusOr<StateRequest> StateFromProto(
    bool has_theorem, const v1::Theorem& theorem,
    const google::protobuf::RepeatedPtrField<std::string>& steps, const std::string& prefix,
    const ServerConfig& server) {
  const SearchConfig& defaults = server.search_defaults;
  if (absl::Status s = Required(has_theorem, prefix + "theorem", "the theorem to work on");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Theorem> t =
      TheoremFromProto(theorem, prefix + "theorem", server.theorem_file_root);
  if (!t.ok()) return t.status();
  if (absl::Status s = CheckSteps(steps, prefix + "steps"); !s.ok()) return s;
  StateRequest r;
  r.theorem = *std::move(t);
  r.steps.assign(steps.begin(), steps.end());
  r.start_timeout = defaults.start_timeout;
  r.step_timeout = defaults.step_timeout;
  return r;
}

v1::AtpStatus AtpStatusToProto(hammer::AtpStatus s) {
  switch (s) {
    case hammer::AtpStatus::kProved: return v1::ATP_PROVED;
    case hammer::AtpStatus::kDisproved: return v1::ATP_DISPROVED;
    case hammer::AtpStatus::kUnknown: return v1::ATP_UNKNOWN;
    case hammer::AtpStatus::kError: return v1::ATP_ERROR;
  }
  return v1::ATP_STATUS_UNSPECIFIED;
}

void SuggestResultToProto(const SuggestResult& r, v1::SuggestStepsResponse* out) {
  out->set_state_text(r.state_text);
  for (const Suggested& s : r.suggestions) {
    v1::Suggestion* one = out->add_suggestions();
    one->set_step(s.candidate.step);
    one->set_logprob(s.candidate.logprob);
    one->set_is_hammer(s.candidate.is_hammer);
    if (s.outcome.has_value()) StepResultToProto(*s.outcome, one->mutable_outcome());
  }
}

void HammerStepResultToProto(const HammerStepResult& r, v1::HammerResponse* out) {
  const bool closed = r.step.kind == StepKind::kProofFinished;
  out->set_status(closed ? v1::ATP_PROVED : v1::ATP_UNKNOWN);
  out->set_prover(r.prover);
  for (const std::string& p : r.premises) out->add_used_premises(p);
  out->set_step(r.step_text);
  out->set_message(BoundedText(r.message.empty() ? r.step.message : r.message));
}

void HammerResultToProto(const hammer::HammerResult& r, v1::HammerResponse* out) {
  out->set_status(AtpStatusToProto(r.status));
  out->set_szs_status(r.szs_status);
  out->set_prover(r.slice);
  for (const std::string& p : r.used_premises) out->add_used_premises(p);
  out->set_elapsed_s(absl::ToDoubleSeconds(r.elapsed));
  out->set_message(BoundedText(r.message));
}

void FoundStepsToProto(const std::vector<FoundStep>& steps, const std::string& text,
                       v1::Proof* out) {
  for (const FoundStep& step : steps) {
    v1::ProofStep* p = out->add_steps();
    p->set_text(step.text);
    p->set_from_hammer(step.from_hammer);
    p->set_hammer_prover(step.hammer_prover);
  }
  if (!steps.empty()) out->set_text(text);
}

void RecheckResultToProto(const RecheckResult& r, v1::CheckProofResponse* out) {
  out->set_verdict(RecheckVerdictToProto(r.verdict));
  out->set_message(BoundedText(r.message));
  for (const std::string& a : r.axioms) out->add_axioms(a);
  for (const std::string& c : r.checkers) out->add_checkers(c);
  out->set_elapsed_s(absl::ToDoubleSeconds(r.elapsed));
}

}  // namespace thor
