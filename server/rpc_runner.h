// What every RPC handler of Thor's services does around its body: the
// bearer-token check, a cancel flag set when the client goes away (or the
// server asks), the final status (CANCELLED / DEADLINE_EXCEEDED when the
// client left), a retry hint with RESOURCE_EXHAUSTED, metrics and a log
// line for failures.
#ifndef THOR_SERVER_RPC_RUNNER_H_
#define THOR_SERVER_RPC_RUNNER_H_

#include <atomic>
#include <functional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/metrics.h"

namespace thor {

struct RpcRunner {
  std::string auth_token;  // Empty: none required.
  Metrics* metrics = nullptr;
  // Polled while the body runs: true asks the body to stop (e.g. drain).
  std::function<bool()> server_cancels;
  absl::Duration retry_after = absl::Seconds(5);

  grpc::Status Run(const char* method, grpc::ServerContext* context,
                   const std::function<absl::Status(std::atomic<bool>* cancel)>& body) const;
};

}  // namespace thor

#endif  // THOR_SERVER_RPC_RUNNER_H_
