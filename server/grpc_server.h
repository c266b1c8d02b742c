// Starting a gRPC server with the standard extras: grpc.health.v1 health
// checking, server reflection (grpc.reflection.v1alpha and v1), and
// message-size limits.
#ifndef THOR_SERVER_GRPC_SERVER_H_
#define THOR_SERVER_GRPC_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace thor {

struct GrpcServerOptions {
  // "127.0.0.1:0" picks a free port; "" listens nowhere (in-process use
  // through grpc::Server::InProcessChannel only).
  std::string address = "127.0.0.1:50051";
  std::shared_ptr<grpc::ServerCredentials> credentials;  // Null: insecure.
  int max_message_bytes = 64 << 20;
  // Service names grpc.health.v1 answers SERVING for, besides "" (the
  // server as a whole), e.g. "thor.v1.ProofSearch".
  std::vector<std::string> health_services;
};

struct RunningGrpcServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// Starts a server for `services` (not owned; must outlive the server) with
// health checking (overall status SERVING) and reflection.
// Unavailable if the address cannot be bound.
absl::StatusOr<RunningGrpcServer> StartGrpcServer(
    const GrpcServerOptions& options, const std::vector<grpc::Service*>& services);

// Maps an absl::Status to a grpc::Status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace thor

#endif  // THOR_SERVER_GRPC_SERVER_H_
