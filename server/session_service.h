// thor.v1.ProofSession: interactive proof sessions over gRPC. Transport
// only: requests are validated and converted (session_convert.h), the
// theorem resolved as Prove resolves it (theorem_request.h), and the work
// done by a SessionManager (sessions/), which knows nothing of gRPC.
// Session calls do not queue behind searches (no admission slot): the
// sessions have limits of their own (SessionLimits).
#ifndef THOR_SERVER_SESSION_SERVICE_H_
#define THOR_SERVER_SESSION_SERVICE_H_

#include <atomic>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "common/env.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/registry.h"
#include "server/rpc_runner.h"
#include "sessions/session_manager.h"

namespace thor {

class ProofSessionService final : public thor::v1::ProofSession::Service {
 public:
  // `metrics` may be null; it and `env` (the clock of idle expiry) must
  // outlive the service. Idle sessions are closed by a background sweep
  // every `sweep_every` (zero: only when calls come).
  ProofSessionService(ServerConfig config, std::shared_ptr<const Registry> registry,
                      Metrics* metrics, Env* env = Env::Default(),
                      absl::Duration sweep_every = absl::Seconds(1));

  grpc::Status OpenSession(grpc::ServerContext* context, const v1::OpenSessionRequest* request,
                           v1::OpenSessionResponse* response) override;
  grpc::Status RunStep(grpc::ServerContext* context, const v1::RunStepRequest* request,
                       v1::RunStepResponse* response) override;
  grpc::Status Hammer(grpc::ServerContext* context, const v1::SessionHammerRequest* request,
                      v1::SessionHammerResponse* response) override;
  grpc::Status GetState(grpc::ServerContext* context, const v1::GetStateRequest* request,
                        v1::SessionState* response) override;
  grpc::Status DropState(grpc::ServerContext* context, const v1::DropStateRequest* request,
                         v1::DropStateResponse* response) override;
  grpc::Status CheckProof(grpc::ServerContext* context,
                          const v1::CheckSessionProofRequest* request,
                          v1::CheckSessionProofResponse* response) override;
  grpc::Status CloseSession(grpc::ServerContext* context, const v1::CloseSessionRequest* request,
                            v1::CloseSessionResponse* response) override;

  // Server shutdown: running calls are cancelled, every session is closed
  // (its prover process ended), and later calls are UNAVAILABLE.
  void Shutdown();

  SessionManager& manager() { return manager_; }

 private:
  const ServerConfig config_;
  const std::shared_ptr<const Registry> registry_;
  std::atomic<bool> stopping_{false};
  RpcRunner runner_;
  SessionManager manager_;
};

}  // namespace thor

#endif  // THOR_SERVER_SESSION_SERVICE_H_
