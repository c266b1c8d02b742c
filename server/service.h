// thor.v1.ProofSearch: translates between protobuf messages and the domain
// (search/, bridges, hammer/), which know nothing of gRPC.
#ifndef THOR_SERVER_SERVICE_H_
#define THOR_SERVER_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "proto/thor/v1/thor.grpc.pb.h"

namespace thor {

class ProofSearchService final : public thor::v1::ProofSearch::Service {
 public:
  grpc::Status Prove(grpc::ServerContext* context, const v1::ProveRequest* request,
                     grpc::ServerWriter<v1::SearchEvent>* writer) override;
  grpc::Status SuggestSteps(grpc::ServerContext* context,
                            const v1::SuggestStepsRequest* request,
                            v1::SuggestStepsResponse* response) override;
  grpc::Status SelectPremises(grpc::ServerContext* context,
                              const v1::SelectPremisesRequest* request,
                              v1::SelectPremisesResponse* response) override;
  grpc::Status Hammer(grpc::ServerContext* context, const v1::HammerRequest* request,
                      v1::HammerResponse* response) override;
  grpc::Status CheckProof(grpc::ServerContext* context,
                          const v1::CheckProofRequest* request,
                          v1::CheckProofResponse* response) override;
};

}  // namespace thor

#endif  // THOR_SERVER_SERVICE_H_
