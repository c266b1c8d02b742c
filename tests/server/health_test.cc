#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "server/grpc_server.h"
#include "server/service.h"

namespace thor {
namespace {

TEST(HealthTest, InProcessServerAnswersHealthCheck) {
  ProofSearchService service;
  GrpcServerOptions options;
  options.address = "127.0.0.1:0";
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

  // An unknown service name is NOT_FOUND, as the protocol says.
  grpc::ClientContext ctx2;
  req.set_service("no.such.Service");
  EXPECT_EQ(stub->Check(&ctx2, req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  running->server->Shutdown();
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
