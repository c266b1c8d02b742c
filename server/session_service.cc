#include "server/session_service.h"

#include "search/verbs.h"
#include "server/convert.h"
#include "server/rpc_util.h"
#include "server/session_convert.h"
#include "server/theorem_request.h"

namespace thor {
namespace {

constexpr absl::Duration kDefaultCheckTimeout = absl::Seconds(60);

}  // namespace

ProofSessionService::ProofSessionService(ServerConfig config,
                                         std::shared_ptr<const Registry> registry,
                                         Metrics* metrics, Env* env, absl::Duration sweep_every)
    : config_(std::move(config)),
      registry_(std::move(registry)),
      manager_(config_.sessions, env, sweep_every) {
  runner_.auth_token = config_.auth_token;
  runner_.metrics = metrics;
  runner_.server_cancels = [this] { return stopping_.load(); };
  runner_.retry_after = config_.admission.retry_after;
}

void ProofSessionService::Shutdown() {
  stopping_ = true;
  manager_.CloseAll();
}

grpc::Status ProofSessionService::OpenSession(grpc::ServerContext* context,
                                              const v1::OpenSessionRequest* request,
                                              v1::OpenSessionResponse* response) {
  return runner_.Run("OpenSession", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    absl::StatusOr<TheoremRequest> t = ResolveTheorem(
        request->has_theorem(), request->theorem(), "theorem", config_, *registry_);
    if (!t.ok()) return t.status();
    absl::StatusOr<SessionOptions> options = SessionOptionsFromProto(*request, config_);
    if (!options.ok()) return options.status();
    options->start_timeout = WithinDeadline(options->start_timeout, *context);
    absl::StatusOr<OpenedSession> opened =
        manager_.Open(t->backend, t->theorem, *options, cancel);
    // A theorem the prover refuses to open: INVALID_ARGUMENT led by the field.
    if (!opened.ok()) return TheoremRejected(*t->backend, opened.status());
    response->set_session_id(opened->session_id);
    SessionStateToProto(opened->root, response->mutable_root());
    response->set_elapsed_s(absl::ToDoubleSeconds(opened->elapsed));
    return absl::OkStatus();
  });
}

grpc::Status ProofSessionService::RunStep(grpc::ServerContext* context,
                                          const v1::RunStepRequest* request,
                                          v1::RunStepResponse* response) {
  return runner_.Run("RunStep", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    const v1::RunStepRequest& q = *request;
    if (absl::Status s = CheckSessionIds(q.session_id(), &q.state_id()); !s.ok()) return s;
    if (absl::Status s = CheckStepText(q.step(), "step"); !s.ok()) return s;
    absl::Duration timeout = absl::ZeroDuration();  // The session's own.
    if (q.has_timeout_s()) {
      absl::StatusOr<absl::Duration> t = SecondsField(
          true, q.timeout_s(), absl::ZeroDuration(), config_.clamps.max_step_timeout, "timeout_s");
      if (!t.ok()) return t.status();
      timeout = WithinDeadline(*t, *context);
    }
    absl::StatusOr<SessionStepReply> r =
        manager_.RunStep(q.session_id(), q.state_id(), q.step(), timeout, cancel);
    if (!r.ok()) return r.status();
    StepReplyToProto(*r, response);
    return absl::OkStatus();
  });
}

grpc::Status ProofSessionService::Hammer(grpc::ServerContext* context,
                                         const v1::SessionHammerRequest* request,
                                         v1::SessionHammerResponse* response) {
  return runner_.Run("SessionHammer", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    const v1::SessionHammerRequest& q = *request;
    if (absl::Status s = CheckSessionIds(q.session_id(), &q.state_id()); !s.ok()) return s;
    absl::StatusOr<absl::Duration> timeout =
        SecondsField(q.has_timeout_s(), q.timeout_s(), config_.search_defaults.hammer_timeout,
                     config_.clamps.max_hammer_timeout, "timeout_s");
    if (!timeout.ok()) return timeout.status();
    absl::StatusOr<SessionHammerReply> r = manager_.Hammer(
        q.session_id(), q.state_id(), WithinDeadline(*timeout, *context), cancel);
    if (!r.ok()) return r.status();
    HammerReplyToProto(*r, response);
    return absl::OkStatus();
  });
}

grpc::Status ProofSessionService::GetState(grpc::ServerContext* context,
                                           const v1::GetStateRequest* request,
                                           v1::SessionState* response) {
  return runner_.Run("GetState", context, [&](std::atomic<bool>*) -> absl::Status {
    if (absl::Status s = CheckSessionIds(request->session_id(), &request->state_id()); !s.ok()) {
      return s;
    }
    absl::StatusOr<SessionStateInfo> r =
        manager_.GetState(request->session_id(), request->state_id());
    if (!r.ok()) return r.status();
    SessionStateToProto(*r, response);
    return absl::OkStatus();
  });
}

grpc::Status ProofSessionService::DropState(grpc::ServerContext* context,
                                            const v1::DropStateRequest* request,
                                            v1::DropStateResponse* response) {
  return runner_.Run("DropState", context, [&](std::atomic<bool>* cancel) -> absl::Status {
    if (absl::Status s = CheckSessionIds(request->session_id(), &request->state_id()); !s.ok()) {
      return s;
    }
    absl::StatusOr<int> n =
        manager_.DropState(request->session_id(), request->state_id(), cancel);
    if (!n.ok()) return n.status();
    response->set_dropped(*n);
    return absl::OkStatus();
  });
}

grpc::Status ProofSessionService::CheckProof(grpc::ServerContext* context,
                                             const v1::CheckSessionProofRequest* request,
                                             v1::CheckSessionProofResponse* response) {
  return runner_.Run("SessionCheckProof", context, [&](std::atomic<bool>*) -> absl::Status {
    const v1::CheckSessionProofRequest& q = *request;
    if (absl::Status s = CheckSessionIds(q.session_id(), &q.state_id()); !s.ok()) return s;
    absl::StatusOr<absl::Duration> timeout =
        SecondsField(q.has_timeout_s(), q.timeout_s(), kDefaultCheckTimeout,
                     config_.clamps.max_check_timeout, "timeout_s");
    if (!timeout.ok()) return timeout.status();
    absl::StatusOr<SessionProofCheck> r =
        manager_.CheckProof(q.session_id(), q.state_id(), WithinDeadline(*timeout, *context));
    if (!r.ok()) return r.status();
    ProofCheckToProto(*r, response);
    return absl::OkStatus();
  });
}

grpc::Status ProofSessionService::CloseSession(grpc::ServerContext* context,
                                               const v1::CloseSessionRequest* request,
                                               v1::CloseSessionResponse* response) {
  return runner_.Run("CloseSession", context, [&](std::atomic<bool>*) -> absl::Status {
    if (absl::Status s = CheckSessionIds(request->session_id(), nullptr); !s.ok()) return s;
    absl::StatusOr<int> n = manager_.Close(request->session_id());
    if (!n.ok()) return n.status();
    response->set_states(*n);
    return absl::OkStatus();
  });
}

}  // namespace thor
