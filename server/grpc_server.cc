#include "server/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "common/bounded_text.h"
#include "server/reflection_v1.h"

namespace thor {

absl::StatusOr<RunningGrpcServer> StartGrpcServer(
    const GrpcServerOptions& options, const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();  // v1alpha, gRPC's own.
  InitReflectionV1Plugin();                                   // v1, ours.
  RunningGrpcServer running;
  grpc::ServerBuilder builder;
  if (!options.address.empty()) {
    builder.AddListeningPort(
        options.address,
        options.credentials ? options.credentials : grpc::InsecureServerCredentials(),
        &running.port);
  }
  // A second server on a busy port must fail, not share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  for (grpc::Service* s : services) builder.RegisterService(s);
  running.server = builder.BuildAndStart();
  if (!running.server || (running.port == 0 && !options.address.empty())) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.address, " (address in use or not local?)"));
  }
  running.server->GetHealthCheckService()->SetServingStatus(true);
  for (const std::string& name : options.health_services) {
    running.server->GetHealthCheckService()->SetServingStatus(name, true);
  }
  return running;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      BoundedText(status.message()));
}

}  // namespace thor
