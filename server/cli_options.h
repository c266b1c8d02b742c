// Flags shared by `thor serve`, `prove`, `suggest` and `check`, and what they
// build: a server configuration, a theorem, a connection to a server (remote
// with --server, else an in-process one).
#ifndef THOR_SERVER_CLI_OPTIONS_H_
#define THOR_SERVER_CLI_OPTIONS_H_

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/config.h"
#include "server/thor_server.h"

namespace thor {

// --config (JSON file) over the defaults, then every server flag given on
// the command line over that. Errors name the flag or the config key.
absl::StatusOr<ServerConfig> ServerConfigFromFlags();
std::vector<std::string> ServerConfigFlagNames();

// The theorem from --prover, --statement, --context / --context_file,
// --name, --imports, --theorem_file, --session, --working_directory.
absl::StatusOr<v1::Theorem> TheoremFromFlags();
std::vector<std::string> TheoremFlagNames();

// A way to call thor.v1.ProofSearch.
struct Connection {
  std::shared_ptr<grpc::Channel> channel;
  std::string token;                  // Sent as a bearer token.
  std::unique_ptr<ThorServer> local;  // Set in in-process mode.
  // A call context with the token and, if `timeout` is finite, a deadline.
  std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration timeout) const;
};

// --server host:port (with --tls_ca, --tls_server_name, --auth_token_file or
// $THOR_AUTH_TOKEN), or an in-process server built from the server flags.
absl::StatusOr<Connection> ConnectFromFlags();
std::vector<std::string> ConnectionFlagNames();

// `a` followed by the names in `b` that `a` lacks.
std::vector<std::string> MergeFlagNames(std::vector<std::string> a,
                                        const std::vector<std::string>& b);

// The bearer token: the first line of `file` if given, else $THOR_AUTH_TOKEN.
absl::StatusOr<std::string> ReadToken(const std::string& file);

// Prints `status` as "thor <command>: CODE: message" on stderr; returns the
// exit code for it (2 for INVALID_ARGUMENT, else 1).
int ReportRpcError(const std::string& command, const grpc::Status& status);

// What a result rests on, for people: "checked by: CHECKER, CHECKER; rests
// on: nothing" (or the axioms, comma-separated). "checked by:
// nothing" when no checker accepted the proof (not re-checked, or rejected).
std::string CheckedByLine(const google::protobuf::RepeatedPtrField<std::string>& checkers,
                          const google::protobuf::RepeatedPtrField<std::string>& axioms);

// `m` as one line of JSON with the .proto field names.
std::string ToJsonLine(const google::protobuf::Message& m);

// Connects (ConnectFromFlags) and calls the unary RPC `rpc`. Returns 0 with
// `response` filled, 2 if the connection could not be set up or the request
// is INVALID_ARGUMENT, 1 for other RPC errors (printed on stderr).
template <typename Request, typename Response>
int CallFromFlags(const std::string& command,
                  grpc::Status (v1::ProofSearch::Stub::*rpc)(grpc::ClientContext*,
                                                             const Request&, Response*),
                  const Request& request, Response* response) {
  absl::StatusOr<Connection> connection = ConnectFromFlags();
  if (!connection.ok()) {
    std::cerr << "thor " << command << ": " << connection.status().message() << "\n";
    return 2;
  }
  auto stub = v1::ProofSearch::NewStub(connection->channel);
  auto context = connection->NewContext(absl::InfiniteDuration());
  grpc::Status status = (stub.get()->*rpc)(context.get(), request, response);
  return status.ok() ? 0 : ReportRpcError(command, status);
}

}  // namespace thor

#endif  // THOR_SERVER_CLI_OPTIONS_H_
