#include "server/service.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "hammer/hammer.h"
#include "search/verbs.h"
#include "server/convert.h"
#include "server/grpc_server.h"
#include "server/log.h"
#include "server/rpc_runner.h"
#include "server/rpc_util.h"
#include "server/security.h"

namespace thor {
namespace {

constexpr uint32_t kDefaultSuggestions = 8;
constexpr uint32_t kMaxSuggestions = 64;
constexpr uint32_t kDefaultPremises = 64;
constexpr absl::Duration kDefaultCheckTimeout = absl::Seconds(60);
const char* const kAtpProvers[] = {"e", "cvc5", "cvc4", "spass", "z3", "vampire"};

// Prefixes the field path to InvalidArgument errors of a sub-component.
absl::Status InField(const absl::Status& s, const std::string& field) {
  if (s.code() != absl::StatusCode::kInvalidArgument) return s;
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", s.message()));
}

absl::Status CheckCount(bool has, uint32_t value, uint32_t max, const std::string& field) {
  if (!has || (value >= 1 && value <= max)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be between 1 and ", max, " (got ", value, ")"));
}

}  // namespace

ProofSearchService::ProofSearchService(ServerConfig config,
                                       std::shared_ptr<const Registry> registry, Metrics* metrics)
    : config_(std::move(config)),
      registry_(std::move(registry)),
      metrics_(metrics),
      admission_(config_.admission),
      hammer_(registry_->hammer()) {}

ProofSearchService::ProofSearchService()
    : ProofSearchService(ServerConfig(), std::make_shared<Registry>(), nullptr) {}

bool ProofSearchService::Drain(absl::Duration timeout, absl::Duration grace) {
  admission_.StopAdmitting();
  if (admission_.WaitIdle(absl::Now() + timeout)) return true;
  admission_.CancelAll();
  admission_.WaitIdle(absl::Now() + grace);
  return false;
}

absl::StatusOr<std::unique_ptr<Admission::Ticket>> ProofSearchService::Admit(
    const std::atomic<bool>* cancel) {
  return admission_.Admit([cancel] { return cancel->load(); });
}

grpc::Status ProofSearchService::Run(
    const char* method, grpc::ServerContext* context,
    const std::function<absl::Status(std::atomic<bool>* cancel)>& body) {
  RpcRunner runner;
  runner.auth_token = config_.auth_token;
  runner.metrics = metrics_;
  runner.server_cancels = [this] { return admission_.ShouldCancel(); };
  runner.retry_after = config_.admission.retry_after;
  return runner.Run(method, context, body);
}

grpc::Status ProofSearchService::Prove(grpc::ServerContext* context,
                                       const v1::ProveRequest* request,
                                       grpc::ServerWriter<v1::SearchEvent>* writer) {
  return Run("Prove", context, [&](std::atomic<bool>* cancel) {
    return ProveBody(context, *request, writer, cancel);
  });
}

grpc::Status ProofSearchService::SuggestSteps(grpc::ServerContext* context,
                                              const v1::SuggestStepsRequest* request,
                                              v1::SuggestStepsResponse* response) {
  return Run("SuggestSteps", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    const v1::SuggestStepsRequest& q = *request;
    absl::StatusOr<StateRequest> state =
        StateFromProto(q.has_theorem(), q.theorem(), q.steps(), "", config_);
    if (!state.ok()) return state.status();
    if (absl::Status s = CheckCount(q.has_n(), q.n(), kMaxSuggestions, "n"); !s.ok()) return s;
    v1::SearchConfig as_search;  // Reuse the search validation for shared fields.
    if (q.has_temperature()) as_search.set_temperature(q.temperature());
    if (q.has_step_timeout_s()) as_search.set_step_timeout_s(q.step_timeout_s());
    as_search.set_policy(q.policy());
    absl::StatusOr<SearchConfig> c = SearchConfigFromProto(as_search, config_, "");
    if (!c.ok()) {
      return absl::InvalidArgumentError(absl::StripPrefix(c.status().message(), "."));
    }
    auto backend = registry_->Backend(state->theorem.prover, "theorem.prover");
    if (!backend.ok()) return backend.status();
    if (absl::Status v = (*backend)->ValidateTheorem(state->theorem); !v.ok()) return v;
    auto policy = registry_->GetPolicy(q.policy(), "policy");
    if (!policy.ok()) return policy.status();
    auto ticket = Admit(cancel);
    if (!ticket.ok()) return ticket.status();
    state->step_timeout = c->step_timeout;
    SuggestOptions options;
    options.n = q.has_n() ? q.n() : kDefaultSuggestions;
    options.temperature = c->temperature;
    options.try_steps = q.try_steps();
    options.hammer_timeout = WithinDeadline(c->hammer_timeout, *context);
    options.query_timeout = WithinDeadline(c->query_timeout, *context);
    options.hammer_token = c->hammer_token;
    absl::StatusOr<SuggestResult> r = thor::SuggestSteps(**backend, **policy, *state, options,
                                                         cancel);
    if (!r.ok()) return r.status();
    SuggestResultToProto(*r, response);
    return absl::OkStatus();
  });
}

grpc::Status ProofSearchService::SelectPremises(grpc::ServerContext* context,
                                                const v1::SelectPremisesRequest* request,
                                                v1::SelectPremisesResponse* response) {
  return Run("SelectPremises", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    const v1::SelectPremisesRequest& q = *request;
    if (absl::Status s = Required(!q.tptp_problem().empty(), "tptp_problem",
                                  "a TPTP problem with one conjecture");
        !s.ok()) {
      return s;
    }
    const std::string method = q.method().empty() ? "mesh" : q.method();
    if (method != "mepo" && method != "knn" && method != "mesh") {
      return absl::InvalidArgumentError(absl::StrCat(
          "method: unknown premise selection method '", q.method(),
          "' (available: mepo, knn, mesh)"));
    }
    if (absl::Status s = CheckCount(q.has_max_premises(), q.max_premises(), 1u << 20,
                                    "max_premises");
        !s.ok()) {
      return s;
    }
    absl::StatusOr<hammer::Problem> problem = hammer::ParseProblem(q.tptp_problem(), "");
    if (!problem.ok()) return InField(problem.status(), "tptp_problem");
    auto ticket = Admit(cancel);
    if (!ticket.ok()) return ticket.status();
    const absl::Time start = absl::Now();
    auto ranked = hammer_->SelectPremises(
        *problem, method, q.has_max_premises() ? q.max_premises() : kDefaultPremises);
    if (!ranked.ok()) return InField(ranked.status(), "tptp_problem");
    for (const hammer::RankedPremise& p : *ranked) {
      v1::Premise* out = response->add_premises();
      out->set_name(p.name);
      out->set_score(p.score);
    }
    response->set_elapsed_s(absl::ToDoubleSeconds(absl::Now() - start));
    (void)context;
    return absl::OkStatus();
  });
}

grpc::Status ProofSearchService::Hammer(grpc::ServerContext* context,
                                        const v1::HammerRequest* request,
                                        v1::HammerResponse* response) {
  return Run("Hammer", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    const v1::HammerRequest& q = *request;
    if (absl::Status s = Required(q.goal_case() != v1::HammerRequest::GOAL_NOT_SET, "goal",
                                  "tptp_problem or state");
        !s.ok()) {
      return s;
    }
    const std::set<std::string> known(std::begin(kAtpProvers), std::end(kAtpProvers));
    for (int i = 0; i < q.provers_size(); ++i) {
      if (!known.count(q.provers(i))) {
        return absl::InvalidArgumentError(
            absl::StrCat("provers[", i, "]: unknown prover '", q.provers(i), "' (available: ",
                         absl::StrJoin(known, ", "), ")"));
      }
    }
    absl::StatusOr<absl::Duration> timeout =
        SecondsField(q.has_timeout_s(), q.timeout_s(), config_.search_defaults.hammer_timeout,
                     config_.clamps.max_hammer_timeout, "timeout_s");
    if (!timeout.ok()) return timeout.status();
    if (absl::Status s = CheckCount(q.has_max_premises(), q.max_premises(), 1u << 20,
                                    "max_premises");
        !s.ok()) {
      return s;
    }
    const absl::Time start = absl::Now();
    if (q.has_state()) {
      absl::StatusOr<StateRequest> state = StateFromProto(
          q.state().has_theorem(), q.state().theorem(), q.state().steps(), "state.",
          config_);
      if (!state.ok()) return state.status();
      auto backend = registry_->Backend(state->theorem.prover, "state.theorem.prover");
      if (!backend.ok()) return backend.status();
      if (absl::Status v = (*backend)->ValidateTheorem(state->theorem); !v.ok()) return v;
      auto ticket = Admit(cancel);
      if (!ticket.ok()) return ticket.status();
      auto r = HammerOnState(**backend, *state, WithinDeadline(*timeout, *context), cancel);
      if (!r.ok()) return r.status();
      const bool closed = r->step.kind == StepKind::kProofFinished;
      if (metrics_ != nullptr) {
        metrics_->HammerCalled(state->theorem.prover, closed ? "proved" : "unknown",
                               r->step.elapsed);
      }
      HammerStepResultToProto(*r, response);
      response->set_elapsed_s(absl::ToDoubleSeconds(absl::Now() - start));
      return absl::OkStatus();
    }
    hammer::HammerOptions options;
    options.timeout = WithinDeadline(*timeout, *context);
    options.provers.assign(q.provers().begin(), q.provers().end());
    options.max_premises = q.has_max_premises() ? q.max_premises() : 0;
    options.minimize = q.minimize();
    options.cancel = cancel;
    auto ticket = Admit(cancel);
    if (!ticket.ok()) return ticket.status();
    absl::StatusOr<hammer::HammerResult> r = hammer_->SolveText(q.tptp_problem(), "", options);
    if (!r.ok()) return InField(r.status(), "tptp_problem");
    if (metrics_ != nullptr) {
      metrics_->HammerCalled("tptp", hammer::AtpStatusName(r->status), r->elapsed);
    }
    HammerResultToProto(*r, response);
    return absl::OkStatus();
  });
}

grpc::Status ProofSearchService::CheckProof(grpc::ServerContext* context,
                                            const v1::CheckProofRequest* request,
                                            v1::CheckProofResponse* response) {
  return Run("CheckProof", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    const v1::CheckProofRequest& q = *request;
    absl::StatusOr<StateRequest> state =
        StateFromProto(q.has_theorem(), q.theorem(), q.steps(), "", config_);
    if (!state.ok()) return state.status();
    if (state->steps.empty() == q.proof_text().empty()) {
      return absl::InvalidArgumentError(
          "steps, proof_text: give exactly one of them (the proof's steps, or the proof as "
          "one text)");
    }
    auto backend = registry_->Backend(state->theorem.prover, "theorem.prover");
    if (!backend.ok()) return backend.status();
    if (absl::Status v = (*backend)->ValidateTheorem(state->theorem); !v.ok()) return v;
    if (!q.proof_text().empty()) {
      if (q.proof_text().find('\0') != std::string::npos) {
        return absl::InvalidArgumentError("proof_text: contains a NUL character");
      }
      // The text Prove returned (or a user pasted) is split into steps by
      // the prover's own rules: each must pass them like any step.
      absl::StatusOr<std::vector<std::string>> steps =
          (*backend)->ParseProofText(q.proof_text());
      if (!steps.ok()) {
        return absl::Status(steps.status().code(),
                            absl::StrCat("proof_text: ", steps.status().message()));
      }
      state->steps = *std::move(steps);
    }
    absl::StatusOr<absl::Duration> timeout =
        SecondsField(q.has_timeout_s(), q.timeout_s(), kDefaultCheckTimeout,
                     config_.clamps.max_check_timeout, "timeout_s");
    if (!timeout.ok()) return timeout.status();
    auto ticket = Admit(cancel);
    if (!ticket.ok()) return ticket.status();
    const absl::Time start = absl::Now();
    RecheckResult r =
        (*backend)->Recheck(state->theorem, state->steps, WithinDeadline(*timeout, *context));
    if (r.verdict == RecheckVerdict::kFailed) {
      // The error model: a theorem the prover refuses to open is a bad request
      // (INVALID_ARGUMENT), not a proof that failed. The re-check compiles
      // statement and proof in one pass, so a failed one opens the theorem
      // alone, within what is left of the timeout, to tell them apart.
      const absl::Duration left = WithinDeadline(*timeout, *context) - (absl::Now() - start);
      if (left > absl::ZeroDuration()) {
        absl::Status opened = OpenTheoremOnly(**backend, state->theorem, left, cancel);
        if (absl::IsInvalidArgument(opened)) return opened;
      }
    }
    RecheckResultToProto(r, response);
    return absl::OkStatus();
  });
}

}  // namespace thor
