// grpc.reflection.v1 (server/reflection_v1.cc) on a real ThorServer over
// loopback gRPC: the services it lists, a file descriptor that parses and
// names the service, and NOT_FOUND in error_response for an unknown symbol.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.pb.h"
#include "proto/grpc/reflection/v1/reflection.grpc.pb.h"
#include "tests/server/server_fixture.h"

namespace thor::testing {
namespace {

namespace rv1 = grpc::reflection::v1;

class ReflectionV1Test : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TestServer::Start();
    ASSERT_NE(server_, nullptr);
    stub_ = rv1::ServerReflection::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->server->port()),
                            grpc::InsecureChannelCredentials()));
  }

  // Sends each request on one stream and returns the responses in order.
  std::vector<rv1::ServerReflectionResponse> Ask(
      const std::vector<rv1::ServerReflectionRequest>& requests) {
    auto ctx = ContextWithTimeout(absl::Seconds(10));
    auto stream = stub_->ServerReflectionInfo(ctx.get());
    std::vector<rv1::ServerReflectionResponse> out;
    for (const auto& q : requests) {
      EXPECT_TRUE(stream->Write(q));
      rv1::ServerReflectionResponse r;
      EXPECT_TRUE(stream->Read(&r));
      out.push_back(r);
    }
    stream->WritesDone();
    grpc::Status s = stream->Finish();
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<rv1::ServerReflection::Stub> stub_;
};

TEST_F(ReflectionV1Test, ListsTheServicesAndDescribesThem) {
  rv1::ServerReflectionRequest list;
  list.set_list_services("*");
  rv1::ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("thor.v1.ProofSearch");
  rv1::ServerReflectionRequest method;
  method.set_file_containing_symbol("thor.v1.ProofSession.OpenSession");
  auto r = Ask({list, symbol, method});
  ASSERT_EQ(r.size(), 3u);

  ASSERT_TRUE(r[0].has_list_services_response()) << r[0].ShortDebugString();
  std::vector<std::string> names;
  for (const auto& s : r[0].list_services_response().service()) names.push_back(s.name());
  for (const char* want : {"thor.v1.ProofSearch", "thor.v1.ProofSession",
                           "grpc.reflection.v1.ServerReflection",
                           "grpc.reflection.v1alpha.ServerReflection"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  EXPECT_EQ(r[0].original_request().list_services(), "*");

  ASSERT_TRUE(r[1].has_file_descriptor_response()) << r[1].ShortDebugString();
  ASSERT_GE(r[1].file_descriptor_response().file_descriptor_proto_size(), 1);
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(file.ParseFromString(r[1].file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(file.package(), "thor.v1");
  std::vector<std::string> services;
  for (const auto& s : file.service()) services.push_back(s.name());
  EXPECT_NE(std::find(services.begin(), services.end(), "ProofSearch"), services.end());
  EXPECT_NE(std::find(services.begin(), services.end(), "ProofSession"), services.end());

  // A method names its file as well; the file asked for is sent again.
  ASSERT_TRUE(r[2].has_file_descriptor_response()) << r[2].ShortDebugString();
  google::protobuf::FileDescriptorProto again;
  ASSERT_TRUE(again.ParseFromString(r[2].file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(again.name(), file.name());
}

TEST_F(ReflectionV1Test, UnknownNamesAreNotFoundAndTheStreamGoesOn) {
  rv1::ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("thor.v1.NoSuchService");
  rv1::ServerReflectionRequest file;
  file.set_file_by_filename("no/such.proto");
  rv1::ServerReflectionRequest extension;
  extension.mutable_file_containing_extension()->set_containing_type("thor.v1.Theorem");
  extension.mutable_file_containing_extension()->set_extension_number(99);
  rv1::ServerReflectionRequest numbers;
  numbers.set_all_extension_numbers_of_type("thor.v1.Theorem");
  rv1::ServerReflectionRequest by_name;
  by_name.set_file_by_filename(
      google::protobuf::FileDescriptorProto::descriptor()->file()->name());
  auto r = Ask({symbol, file, extension, numbers, by_name});
  ASSERT_EQ(r.size(), 5u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(r[i].has_error_response()) << r[i].ShortDebugString();
    EXPECT_EQ(r[i].error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_NE(r[0].error_response().error_message().find("thor.v1.NoSuchService"),
            std::string::npos);
  ASSERT_TRUE(r[3].has_all_extension_numbers_response()) << r[3].ShortDebugString();
  EXPECT_EQ(r[3].all_extension_numbers_response().base_type_name(), "thor.v1.Theorem");
  EXPECT_EQ(r[3].all_extension_numbers_response().extension_number_size(), 0);
  ASSERT_TRUE(r[4].has_file_descriptor_response()) << r[4].ShortDebugString();
  google::protobuf::FileDescriptorProto d;
  ASSERT_TRUE(d.ParseFromString(r[4].file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(d.name(), "google/protobuf/descriptor.proto");
}

}  // namespace
}  // namespace thor::testing
