// A whole Thor server: the ProofSearch and ProofSession services over a
// registry, their gRPC
// server (health, reflection, TLS, message limits) and the metrics endpoint.
// Used by `thor serve`, by the in-process mode of `thor prove/suggest/check`,
// by tests and by bench/server_load.
#ifndef THOR_SERVER_THOR_SERVER_H_
#define THOR_SERVER_THOR_SERVER_H_

#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/registry.h"
#include "server/service.h"
#include "server/session_service.h"

namespace thor {

class ThorServer {
 public:
  // Checks the security settings (CheckSecurity), then starts listening on
  // config.listen ("" = in-process only) and, if config.metrics_listen is
  // set, serves metrics there. InvalidArgument for an unsafe or inconsistent
  // configuration, NotFound for unreadable TLS files, Unavailable if an
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<ThorServer>> Start(
      const ServerConfig& config, std::shared_ptr<const Registry> registry);
  ~ThorServer();  // Shutdown(zero drain) if not done yet.

  // The bound gRPC port (0 when in-process only) and metrics port (0: none).
  int port() const { return port_; }
  int metrics_port() const { return metrics_http_ ? metrics_http_->port() : 0; }
  // A channel to this server that bypasses the network (and the token check
  // still applies).
  std::shared_ptr<grpc::Channel> InProcessChannel();
  ProofSearchService& service() { return *service_; }
  ProofSessionService& sessions() { return *sessions_; }
  Metrics& metrics() { return *metrics_; }

  // Graceful stop: close every session (ending its prover), refuse new
  // requests, wait up to `drain` for running ones, cancel the rest (their
  // children are killed), then stop the servers.
  // Returns true if every request ended by itself within `drain`.
  bool Shutdown(absl::Duration drain);

 private:
  ThorServer() = default;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<ProofSearchService> service_;
  std::unique_ptr<ProofSessionService> sessions_;
  std::unique_ptr<grpc::Server> grpc_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace thor

#endif  // THOR_SERVER_THOR_SERVER_H_
