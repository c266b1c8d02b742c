#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "server/grpc_server.h"
#include "server/registry.h"
#include "server/service.h"
#include "server/thor_server.h"

namespace thor {
namespace {

TEST(HealthTest, InProcessServerAnswersHealthCheck) {
  ProofSearchService service;
  GrpcServerOptions options;
  options.address = "127.0.0.1:0";
  options.health_services = {"thor.v1.ProofSearch"};
  auto running = StartGrpcServer(options, {&service});
  ASSERT_TRUE(running.ok()) << running.status();
  ASSERT_GT(running->port, 0);
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", running->port),
                                     grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // By name, as Kubernetes' gRPC probes and grpc_health_probe -service ask.
  grpc::ClientContext by_name;
  req.set_service("thor.v1.ProofSearch");
  s = stub->Check(&by_name, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // An unknown service name is NOT_FOUND, as the protocol says.
  grpc::ClientContext ctx2;
  req.set_service("no.such.Service");
  EXPECT_EQ(stub->Check(&ctx2, req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  running->server->Shutdown();
}

// `thor serve` answers for each of its services by name.
TEST(HealthTest, ThorServerAnswersForBothServicesByName) {
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  auto server = ThorServer::Start(config, std::make_shared<Registry>());
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->port()), grpc::InsecureChannelCredentials()));
  for (const char* name : {"", "thor.v1.ProofSearch", "thor.v1.ProofSession"}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(name);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status s = stub->Check(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << name << ": " << s.error_message();
    EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING) << name;
  }
}

TEST(HealthTest, BusyPortIsUnavailable) {
  ProofSearchService service;
  GrpcServerOptions options;
  options.address = "127.0.0.1:0";
  auto first = StartGrpcServer(options, {&service});
  ASSERT_TRUE(first.ok());
  ProofSearchService service2;
  options.address = absl::StrCat("127.0.0.1:", first->port);
  auto second = StartGrpcServer(options, {&service2});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  first->server->Shutdown();
}

}  // namespace
}  // namespace thor
