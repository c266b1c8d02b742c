// grpc.reflection.v1.ServerReflection (proto/grpc/reflection/v1/reflection.proto)
// over the protobuf descriptors linked into this binary: Debian's gRPC 1.51
// serves only grpc.reflection.v1alpha, and newer tools ask v1 first.
#ifndef THOR_SERVER_REFLECTION_V1_H_
#define THOR_SERVER_REFLECTION_V1_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "proto/grpc/reflection/v1/reflection.grpc.pb.h"

namespace thor {

class ReflectionV1Service final : public grpc::reflection::v1::ServerReflection::Service {
 public:
  // The fully qualified names list_services reports (set once the server
  // knows what it registered).
  void SetServiceNames(std::vector<std::string> names);

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>* stream) override;

 private:
  absl::Mutex mu_;
  std::vector<std::string> names_ ABSL_GUARDED_BY(mu_);
};

// Makes every server that StartGrpcServer builds from now on also serve
// grpc.reflection.v1 (a ServerBuilder plugin, as gRPC's own v1alpha one is, so
// that list_services sees exactly the services the server registered).
// Idempotent.
void InitReflectionV1Plugin();

}  // namespace thor

#endif  // THOR_SERVER_REFLECTION_V1_H_
