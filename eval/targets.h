// Where `thor eval` sends its searches: one gRPC channel over one or more
// servers, balanced per call with gRPC's round_robin policy.
#ifndef THOR_EVAL_TARGETS_H_
#define THOR_EVAL_TARGETS_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

namespace thor::eval {

// Turns --servers into one gRPC target URI:
//  - a single URI with a scheme ("dns:///thor.ns.svc:50051", "ipv4:...",
//    "unix:...") is used as it is (dns:/// re-resolves, so new replicas join);
//  - host:port entries (one or more) are resolved now and joined into
//    "ipv4:a:p,b:q" (or "ipv6:[a]:p,..."), one address per entry.
// InvalidArgument for an empty list, an entry without a port, a scheme mixed
// with other entries, or IPv4 mixed with IPv6; NotFound if a host does not
// resolve.
absl::StatusOr<std::string> ServersToTarget(const std::vector<std::string>& servers);

// A channel to `target` with the round_robin load-balancing policy, so that
// each call goes to the next READY server and calls skip servers that are down.
// Null `credentials` means plaintext.
std::shared_ptr<grpc::Channel> CreateBalancedChannel(
    const std::string& target,
    std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr,
    const std::string& tls_server_name = "");

}  // namespace thor::eval

#endif  // THOR_EVAL_TARGETS_H_
