// thor.v1.ProofSearch: translates between protobuf messages and the domain
// (search/, the bridges, hammer/, search/verbs.h), which know nothing of
// gRPC. Every RPC checks the bearer token, validates its request
// (INVALID_ARGUMENT naming the field), passes admission (RESOURCE_EXHAUSTED
// with a "retry-after-s" trailer when full), and stops its work and kills its
// child processes when the client cancels or the deadline passes.
#ifndef THOR_SERVER_SERVICE_H_
#define THOR_SERVER_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "hammer/hammer.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/admission.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/registry.h"

namespace thor {

class ProofSearchService final : public thor::v1::ProofSearch::Service {
 public:
  // `metrics` may be null (no metrics); it must outlive the service.
  ProofSearchService(ServerConfig config, std::shared_ptr<const Registry> registry,
                     Metrics* metrics);
  // A service with no provers and no policies (every RPC that needs one is
  // INVALID_ARGUMENT listing none); for health checks and tests.
  ProofSearchService();

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

  // Graceful shutdown, step 1: refuse new requests (UNAVAILABLE).
  void StopAdmitting() { admission_.StopAdmitting(); }
  // Step 2: wait up to `timeout` for running requests, then ask the rest to
  // cancel (their searches end CANCELLED, their children are killed) and wait
  // up to `grace` more. Returns true if every request ended by itself
  // within `timeout` (none had to be cancelled).
  bool Drain(absl::Duration timeout, absl::Duration grace);

  // Loads `path` into the server's hammer and appends its new proofs there
  // (hammer::Hammer::PersistProofs); ThorServer::Start calls it for
  // ServerConfig::premise_db. The file's errors, with its path.
  absl::Status UsePremiseDb(const std::string& path) { return hammer_->PersistProofs(path); }

  const Admission& admission() const { return admission_; }
  const ServerConfig& config() const { return config_; }

 private:
  // Runs `body` for an RPC: token check, admission, metrics, logs, and a
  // cancel flag set when the client goes away or the server drains.
  grpc::Status Run(const char* method, grpc::ServerContext* context,
                   const std::function<absl::Status(std::atomic<bool>* cancel)>& body);
  // Prove's body (service_prove.cc).
  absl::Status ProveBody(grpc::ServerContext* context, const v1::ProveRequest& request,
                         grpc::ServerWriter<v1::SearchEvent>* writer,
                         std::atomic<bool>* cancel);
  // Waits for a running slot (validation comes first, so bad requests never
  // queue).
  absl::StatusOr<std::unique_ptr<Admission::Ticket>> Admit(const std::atomic<bool>* cancel);

  const ServerConfig config_;
  const std::shared_ptr<const Registry> registry_;
  Metrics* const metrics_;
  Admission admission_;
  // One hammer for the server's life (the registry's), shared by every
  // SelectPremises and TPTP Hammer call and the bridges' external hammers
  // (each passes its own options and cancel flag): its k-NN proof database
  // grows with every proof the calls find.
  const std::shared_ptr<hammer::Hammer> hammer_;
};

}  // namespace thor

#endif  // THOR_SERVER_SERVICE_H_
