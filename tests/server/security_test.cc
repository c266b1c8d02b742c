// TLS + bearer token: accepted with the right token, refused with a wrong or
// missing one; non-loopback addresses need TLS and a token unless insecure.
#include <gtest/gtest.h>

#include "common/subprocess.h"
#include "server/security.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

// A self-signed certificate for localhost / 127.0.0.1, made with openssl.
struct Cert {
  std::string cert, key;
};

Cert MakeCert() {
  const std::string dir = MakeTempDir();
  Cert c{dir + "/cert.pem", dir + "/key.pem"};
  SubprocessOptions o;
  o.argv = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", c.key,
            "-out", c.cert, "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"};
  auto r = RunSubprocess(o, "", absl::Seconds(60));
  EXPECT_TRUE(r.ok()) << r.status() << " (install openssl: apt-get install openssl)";
  if (r.ok()) {
    EXPECT_EQ(r->exit_code, 0) << r->err;
  }
  return c;
}

grpc::Status Check(const std::shared_ptr<grpc::Channel>& channel, const std::string& token) {
  auto stub = v1::ProofSearch::NewStub(channel);
  v1::CheckProofRequest req;
  *req.mutable_theorem() = FakeTheorem();
  req.add_steps("close");
  v1::CheckProofResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  AddBearerToken(ctx.get(), token);
  grpc::Status s = stub->CheckProof(ctx.get(), req, &resp);
  if (s.ok()) {
    EXPECT_EQ(resp.verdict(), v1::RECHECK_PASSED);
  }
  return s;
}

TEST(SecurityTest, TlsWithTokenAcceptsTheRightTokenOnly) {
  const Cert cert = MakeCert();
  ServerConfig config;
  config.tls_cert_file = cert.cert;
  config.tls_key_file = cert.key;
  config.auth_token = "s3cret-token";
  auto t = TestServer::Start(config);
  ASSERT_NE(t, nullptr);
  ClientOptions o;
  o.address = absl::StrCat("127.0.0.1:", t->server->port());
  o.tls_ca_file = cert.cert;
  auto channel = MakeClientChannel(o);
  ASSERT_TRUE(channel.ok()) << channel.status();

  EXPECT_TRUE(Check(*channel, "s3cret-token").ok());
  grpc::Status wrong = Check(*channel, "s3cret-tokeN");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(wrong.error_message().find("invalid bearer token"), std::string::npos);
  grpc::Status missing = Check(*channel, "");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(missing.error_message().find("requires a bearer token"), std::string::npos);

  // A plaintext client cannot talk to the TLS port at all.
  auto plain = grpc::CreateChannel(o.address, grpc::InsecureChannelCredentials());
  EXPECT_EQ(Check(plain, "s3cret-token").error_code(), grpc::StatusCode::UNAVAILABLE);
  // Wrong token never reached the prover.
  EXPECT_EQ(t->backend->sessions_started(), 0);
}

TEST(SecurityTest, NonLoopbackNeedsTlsAndTokenUnlessInsecure) {
  auto registry = std::make_shared<Registry>();
  ServerConfig config;
  config.listen = "0.0.0.0:0";
  auto plain = ThorServer::Start(config, registry);
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(plain.status().message().find("requires TLS"), std::string::npos);

  const Cert cert = MakeCert();
  config.tls_cert_file = cert.cert;
  config.tls_key_file = cert.key;
  auto no_token = ThorServer::Start(config, registry);
  ASSERT_FALSE(no_token.ok());
  EXPECT_NE(no_token.status().message().find("bearer token"), std::string::npos);

  config.tls_key_file = "";
  auto half = ThorServer::Start(config, registry);
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("go together"), std::string::npos);

  ServerConfig insecure;
  insecure.listen = "0.0.0.0:0";
  insecure.insecure = true;
  auto ok = ThorServer::Start(insecure, registry);
  EXPECT_TRUE(ok.ok()) << ok.status();
}

TEST(SecurityTest, LoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.2:50051"));
}

}  // namespace
}  // namespace thor::testing
