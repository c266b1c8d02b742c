// TLS credentials and bearer-token authentication for the Thor server and its
// clients.
#ifndef THOR_SERVER_SECURITY_H_
#define THOR_SERVER_SECURITY_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "server/config.h"

namespace thor {

// TLS server credentials from the config's PEM files, or insecure ones when
// no certificate is configured. NotFound if a file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerConfig& config);

// OK if `expected` is empty or the call carries "authorization: Bearer
// <expected>"; Unauthenticated otherwise (compared in constant time).
absl::Status CheckBearerToken(const grpc::ServerContext& context, const std::string& expected);

// How a client reaches a server.
struct ClientOptions {
  std::string address;          // "host:port"
  std::string tls_ca_file;      // PEM roots; empty means plaintext.
  std::string tls_server_name;  // Overrides the name checked in the certificate.
  std::string auth_token;       // Sent as a bearer token when not empty.
};

// Channel credentials: TLS trusting the PEM roots in `tls_ca_file`, or
// plaintext when it is empty. NotFound if the file cannot be read. The one
// place a client's TLS is set up (MakeClientChannel, `thor eval`).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeClientCredentials(
    const std::string& tls_ca_file);

// A channel to `options.address`. NotFound if the CA file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeClientChannel(const ClientOptions& options);

// Adds the bearer token (if any) to a call.
void AddBearerToken(grpc::ClientContext* context, const std::string& token);

// Reads a whole file; NotFound naming it if it cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

}  // namespace thor

#endif  // THOR_SERVER_SECURITY_H_
