// How `thor prove`, `suggest` and `check` reach thor.v1.ProofSearch: a
// remote server (--server, with the TLS flags and the token), or an
// in-process server built from the server flags.
#ifndef THOR_CLI_CONNECTION_H_
#define THOR_CLI_CONNECTION_H_

#include <iostream>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/thor_server.h"

namespace thor {

// A way to call thor.v1.ProofSearch.
struct Connection {
  std::shared_ptr<grpc::Channel> channel;
  std::string token;                  // Sent as a bearer token.
  std::unique_ptr<ThorServer> local;  // Set in in-process mode.
  // A call context with the token and, if `timeout` is finite, a deadline.
  std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration timeout) const;
};

// --server host:port (with --tls_ca, --tls_server_name, --auth_token_file or
// $THOR_AUTH_TOKEN), or an in-process server from the server flags whose
// registry `build_registry` makes. The in-process server may read the
// folders of the files `theorem` names (the user's own; see
// StartLocalServer) unless --theorem_file_root says otherwise.
absl::StatusOr<Connection> ConnectFromFlags(const RegistryFactory& build_registry,
                                            const v1::Theorem& theorem);

// Connects (ConnectFromFlags) and calls the unary RPC `rpc`. Returns 0 with
// `response` filled, 2 if the connection could not be set up or the request
// is INVALID_ARGUMENT, 1 for other RPC errors (printed on stderr).
template <typename Request, typename Response>
int CallFromFlags(const std::string& command, const CommandContext& context,
                  grpc::Status (v1::ProofSearch::Stub::*rpc)(grpc::ClientContext*,
                                                             const Request&, Response*),
                  const Request& request, Response* response) {
  absl::StatusOr<Connection> connection =
      ConnectFromFlags(context.build_registry, request.theorem());
  if (!connection.ok()) {
    std::cerr << "thor " << command << ": " << connection.status().message() << "\n";
    return 2;
  }
  auto stub = v1::ProofSearch::NewStub(connection->channel);
  auto call = connection->NewContext(absl::InfiniteDuration());
  grpc::Status status = (stub.get()->*rpc)(call.get(), request, response);
  return status.ok() ? 0 : ReportRpcError(command, status);
}

}  // namespace thor

#endif  // THOR_CLI_CONNECTION_H_
