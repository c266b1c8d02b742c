// Small helpers shared by the RPC handlers of ProofSearchService.
#ifndef THOR_SERVER_RPC_UTIL_H_
#define THOR_SERVER_RPC_UTIL_H_

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace thor {

// "OK", "INVALID_ARGUMENT", ... for metrics and logs.
const char* GrpcCodeName(grpc::StatusCode code);

// Time left before the client's deadline; InfiniteDuration if none.
absl::Duration TimeLeft(const grpc::ServerContext& context);

// `budget`, shortened so that the work ends (and its result is sent) before
// the client's deadline: at most the time left minus min(1 s, 10%).
absl::Duration WithinDeadline(absl::Duration budget, const grpc::ServerContext& context);

// InvalidArgument "<field>: required (<what>)" unless `has`.
absl::Status Required(bool has, const std::string& field, const std::string& what);

// A fresh 16-hex-digit id for logs and results.
std::string NewRequestId();

}  // namespace thor

#endif  // THOR_SERVER_RPC_UTIL_H_
