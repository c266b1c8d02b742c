#include "server/session_convert.h"

#include "absl/strings/str_cat.h"
#include "common/bounded_text.h"
#include "server/convert.h"
#include "server/rpc_util.h"

namespace thor {
namespace {

constexpr size_t kMaxIdBytes = 64;

absl::Status CheckId(const std::string& id, const std::string& field, const char* what) {
  if (absl::Status s = Required(!id.empty(), field, what); !s.ok()) return s;
  if (id.size() > kMaxIdBytes || id.find_first_of(std::string("\n\0", 2)) != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not an id this server hands out (one short line)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SessionOptions> SessionOptionsFromProto(const v1::OpenSessionRequest& q,
                                                       const ServerConfig& server) {
  SessionOptions o;
  o.start_timeout = server.search_defaults.start_timeout;
  absl::StatusOr<absl::Duration> step =
      SecondsField(q.has_step_timeout_s(), q.step_timeout_s(), server.search_defaults.step_timeout,
                   server.clamps.max_step_timeout, "step_timeout_s");
  if (!step.ok()) return step.status();
  absl::StatusOr<absl::Duration> idle =
      SecondsField(q.has_idle_timeout_s(), q.idle_timeout_s(), server.sessions.idle_timeout,
                   server.sessions.idle_timeout, "idle_timeout_s");
  if (!idle.ok()) return idle.status();
  o.step_timeout = *step;
  o.idle_timeout = *idle;
  return o;
}

absl::Status CheckSessionIds(const std::string& session_id, const std::string* state_id) {
  if (absl::Status s = CheckId(session_id, "session_id", "the id OpenSession returned");
      !s.ok()) {
    return s;
  }
  if (state_id == nullptr) return absl::OkStatus();
  return CheckId(*state_id, "state_id", "a state's id; \"0\" is the root");
}

void SessionStateToProto(const SessionStateInfo& s, v1::SessionState* out) {
  out->set_state_id(s.state_id);
  out->set_parent_id(s.parent_id);
  out->set_step(s.step);
  out->set_depth(s.depth);
  out->set_goals_text(s.goals_text);
  for (const StructuredGoal& g : s.goals) {
    v1::Goal* goal = out->add_goals();
    for (const GoalHypothesis& h : g.hypotheses) {
      v1::Hypothesis* hyp = goal->add_hypotheses();
      for (const std::string& n : h.names) hyp->add_names(n);
      hyp->set_type(h.type);
      hyp->set_body(h.body);
    }
    goal->set_conclusion(g.conclusion);
  }
  out->set_finished(s.finished);
  for (const std::string& step : s.steps) out->add_steps(step);
}

void StepReplyToProto(const SessionStepReply& r, v1::RunStepResponse* out) {
  StepResultToProto(r.outcome, out->mutable_outcome());
  if (r.state.has_value()) SessionStateToProto(*r.state, out->mutable_state());
}

void HammerReplyToProto(const SessionHammerReply& r, v1::SessionHammerResponse* out) {
  out->set_success(r.state.has_value());
  out->set_step(r.result.step_text);
  out->set_prover(r.result.prover);
  for (const std::string& p : r.result.premises) out->add_premises(p);
  if (!r.result.step_text.empty()) StepResultToProto(r.result.step, out->mutable_outcome());
  if (r.state.has_value()) SessionStateToProto(*r.state, out->mutable_state());
  out->set_elapsed_s(absl::ToDoubleSeconds(r.elapsed));
  out->set_message(
      BoundedText(r.result.message.empty() ? r.result.step.message : r.result.message));
}

void ProofCheckToProto(const SessionProofCheck& c, v1::CheckSessionProofResponse* out) {
  RecheckResultToProto(c.check, out->mutable_check());
  FoundStepsToProto(c.proof, c.proof_text, out->mutable_proof());
}

}  // namespace thor
