#include "server/service.h"

namespace thor {
namespace {

grpc::Status NotBuilt(const char* rpc) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      std::string("thor.v1.ProofSearch/") + rpc +
                          " is not built yet in this version of thor");
}

}  // namespace

grpc::Status ProofSearchService::Prove(grpc::ServerContext*, const v1::ProveRequest*,
                                       grpc::ServerWriter<v1::SearchEvent>*) {
  return NotBuilt("Prove");
}

grpc::Status ProofSearchService::SuggestSteps(grpc::ServerContext*,
                                              const v1::SuggestStepsRequest*,
                                              v1::SuggestStepsResponse*) {
  return NotBuilt("SuggestSteps");
}

grpc::Status ProofSearchService::SelectPremises(grpc::ServerContext*,
                                                const v1::SelectPremisesRequest*,
                                                v1::SelectPremisesResponse*) {
  return NotBuilt("SelectPremises");
}

grpc::Status ProofSearchService::Hammer(grpc::ServerContext*, const v1::HammerRequest*,
                                        v1::HammerResponse*) {
  return NotBuilt("Hammer");
}

grpc::Status ProofSearchService::CheckProof(grpc::ServerContext*,
                                            const v1::CheckProofRequest*,
                                            v1::CheckProofResponse*) {
  return NotBuilt("CheckProof");
}

}  // namespace thor
