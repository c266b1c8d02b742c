// A ThorServer on an ephemeral loopback port with the fake prover (as "coq")
// and fixed-list policies, plus a stub to call it.
#ifndef THOR_TESTS_SERVER_SERVER_FIXTURE_H_
#define THOR_TESTS_SERVER_SERVER_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "lm_client/heuristic_policy.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/log.h"
#include "server/thor_server.h"
#include "tests/server/fake_prover.h"

namespace thor::testing {

struct TestServer {
  std::shared_ptr<FakeProverBackend> backend;
  std::unique_ptr<ThorServer> server;
  std::unique_ptr<v1::ProofSearch::Stub> stub;

  // Policies: "fixed" proposes `steps` (default: fail, step, close) then the
  // hammer token; "hammer_only" proposes just the hammer.
  static std::unique_ptr<TestServer> Start(ServerConfig config = {},
                                           FakeProverOptions prover = {},
                                           std::vector<std::string> steps = {"fail", "step",
                                                                             "close"}) {
    SetLogStream(nullptr);
    auto t = std::make_unique<TestServer>();
    t->backend = std::make_shared<FakeProverBackend>(prover);
    auto registry = std::make_shared<Registry>();
    registry->AddBackend("coq", t->backend);  // The step filter knows "coq".

    registry->AddPolicy("fixed", std::make_shared<HeuristicPolicy>(steps));
    registry->AddPolicy("hammer_only",
                        std::make_shared<HeuristicPolicy>(std::vector<std::string>{}));
    registry->SetDefaultPolicy("fixed");
    config.listen = "127.0.0.1:0";
    auto server = ThorServer::Start(config, registry);
    if (!server.ok()) return nullptr;
    t->server = *std::move(server);
    t->stub = v1::ProofSearch::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", t->server->port()), grpc::InsecureChannelCredentials()));
    return t;
  }
};

inline v1::Theorem FakeTheorem(const std::string& statement = "Lemma t : True.") {
  v1::Theorem t;
  t.set_prover("coq");
  t.set_name("t");
  t.set_statement(statement);
  return t;
}

inline std::unique_ptr<grpc::ClientContext> ContextWithTimeout(absl::Duration timeout) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return c;
}

}  // namespace thor::testing

#endif  // THOR_TESTS_SERVER_SERVER_FIXTURE_H_
